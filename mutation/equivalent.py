"""Mutants recorded as equivalent: no test can tell them from the original, because the behaviour is the same.
Each entry: mutant id (as in docs/mutation/SCOPE.md) → (a fragment of the mutated line, the one-line reason).
The fragment guards against a stale record: when the module changes, the occurrence numbers move to other
mutants, and a record whose fragment no longer matches is ignored (the mutant counts again).

mutate.py leaves a recorded mutant out of the score (it is listed with its reason, not run). Record a mutant only
with a reason that holds for every input, never because a test is hard to write."""

from __future__ import annotations

STATUS = "HiGHS's primal_solution_status is 0 (none), 1 (infeasible) or 2 (feasible), never negative: "
STATUS_LE, STATUS_GT = STATUS + "`<= 0` is `== 0`.", STATUS + "`> 0` is `!= 0`."
NONZERO_1D = "np.nonzero of a 1-D array returns a 1-tuple, so [-1] picks the same index array as [0]."

WIDTH = ("only the integer width of the internal vote positions changes: int32 is still used only up to 2**31 - 1 "
         "votes, where it holds the same 1..n values as int64.")
DEAD_BASE = ("growth_basis (called first) raises NotComputable without a baseline, so the fallback for a missing base "
             "is never reached.")
EMPTY_VECTOR = ("the fallback norm is used only when the sum of squares is 0, i.e. for a text without tokens, whose "
                "vector is empty: nothing is divided by it (every term weight is > 0).")
INTERNED = ("kind only takes the constants of the tuple literal it loops over in the same function, and CPython "
            "interns identifier-like string constants, so `is` / `is not` agree with `==` / `!=` on every value it "
            "can take.")
EMPTY_SUM = ("n is a length; when it is 0 the array is empty and p.sum() <= 0 takes the same branch.")

# FaceRepair.find restores the panel size: gap is an int (int(round(...)), changed by int steps) and the loop
# breaks as soon as it is 0, so inside the loop body it is never 0.
GAP_NONZERO = "gap is a non-zero int at this line (the loop breaks at gap == 0 first), so `>= 0` and `> -1` are `> 0`."
GAP_LOOP = ("when gap is 0 the loop breaks at its first step whichever order it walks, and otherwise gap is a "
            "non-zero int, so `>= 0` and `> -1` are `> 0`.")
STEP_ZERO = ("step is an int, and a step of 0 adds 0 to x[t] and to gap, so also running the branch for 0 "
             "(`>= 0`, `> -1`) changes nothing.")
GAP_DONE = ("with gap == 0 every later pass has step = min(0, room) <= 0 and changes nothing, so continuing the loop "
            "instead of breaking gives the same x and gap.")

FAST_PATH = ("a CSR matrix never holds more entries than it was built from (duplicates are summed), so nnz <= the "
             "number of votes; the mutant takes the general path whenever the original does, and sometimes when the "
             "original takes the fast one, and the general path builds the same Votes for every input.")
RAVELLED = "p is ravelled to 1-D before, so shape[-1] is shape[0]."
UNIQUE_1D = "np.unique without an axis always returns a flattened 1-D array, so shape[-1] is shape[0]."
SIGNS = ("np.sign gives -1, 0 or +1 (NaN for a NaN pivot, untouched by every variant); +1 stays +1, and 0 occurs "
         "only when the largest |loading| of the row is 0, i.e. for an all-zero row, which stays zero whatever it "
         "is multiplied by.")

SLACK_KIND = ('kind is "min" or "max" (the slack list of add_panel_constraints); "max" < "min" in string order, '
              'so `>= "min"` is `== "min"`.')
SLACK_KIND_IS = ('kind is one of the literals "min" / "max" of add_panel_constraints, and CPython interns '
                 'identifier-like string constants, so `is` agrees with `==`.')

EQUIVALENT: dict[str, tuple[str, str]] = {
    "kompass/opendata/services.py:ReplaceComparisonOperator_Eq_GtE:5": (
        'if source.kind >= "kompass"',
        'a source\'s kind is "kompass" or "dcat" (Source.Kind, checked by source_follow) and "dcat" < "kompass" in '
        'string order, so `>=` is `==`.'),
    "kompass/lottery/services/intake.py:ReplaceTrueWithFalse:1": (
        "zip(ids, table.rows, strict=False)",
        "ids gets exactly one entry per row of table.rows in the loop before (or the function has raised), so both "
        "have the same length and strict only adds a check that cannot fail."),
    "kompass/lottery/services/members.py:NumberReplacer:4": (
        ".hexdigest(), 17)",
        "every SHA-256 hexdigest has 64 digits 0-f; read in base 16 or 17 such strings order like the strings "
        "themselves, so the rank only feeds min() and the same candidate wins for every input."),
    "kompass/lottery/services/intake.py:ReplaceComparisonOperator_Eq_GtE:1": (
        "if panel.stage >= Panel.Stage.SETUP:",
        "a panel's stage is one of eight strings (setup, invited, quotas, computing, computed, hash_published, drawn, "
        "published) and only \"setup\" is >= \"setup\" in string order, so `>=` is `==`."),
    "kompass/algorithms/progress/result.py:ReplaceComparisonOperator_IsNot_NotEq:0": (
        'return self.status != Status.NOT_COMPUTABLE',
        "Enum members are singletons and Enum.__eq__ is identity, so `is not` and `!=` agree for every value."),
    "kompass/algorithms/sortition/leximin.py:ReplaceBreakWithContinue:2": (
        'continue',
        "the starts are walked in decreasing order of lam (argsort of -lam), so once lam[j] <= 1e-12 every later "
        "one is too and `continue` skips them all, as `break` does; the weights are an LP solution, never NaN."),
    "kompass/algorithms/sortition/oracle.py:NumberReplacer:20": (
        'h.addCols(2, np.ones( 3)',
        "highspy's addCols reads num_new_col (= 2) entries of each array, so a cost array of three ones gives the "
        "same two columns (checked: getLp().col_cost_ is [1, 1])."),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_GtE_Eq:0": (
        'is_fixed = poly.lower == c',
        "a type's fixed members are some of its members, so lower <= count and `>=` is `==` for every type."),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Lt_NotEq:0": (
        'b_ok = x != ub',
        "x <= ub holds throughout the repair: np.clip starts it at most ub, the size restore adds at most ub - x, "
        "and a swap adds to b only where x < ub; so `!=` is `<`."),
    "kompass/algorithms/sortition/lottery.py:ReplaceBreakWithContinue:0": (
        'continue',
        "when no move improves, n and err are unchanged, so every further pass finds no move either: continuing "
        "to max_moves gives the same multiplicities as stopping."),
    "kompass/algorithms/sortition/feasibility.py:ReplaceComparisonOperator_Eq_GtE:0": (
        'old = lo if kind >= "min"', SLACK_KIND),
    "kompass/algorithms/sortition/feasibility.py:ReplaceComparisonOperator_Eq_GtE:1": (
        'new = lo - s if kind >= "min"', SLACK_KIND),
    "kompass/algorithms/sortition/feasibility.py:ReplaceComparisonOperator_Eq_Is:0": (
        'old = lo if kind is "min"', SLACK_KIND_IS),
    "kompass/algorithms/sortition/feasibility.py:ReplaceComparisonOperator_Eq_Is:1": (
        'new = lo - s if kind is "min"', SLACK_KIND_IS),
    "kompass/algorithms/sortition/feasibility.py:ReplaceComparisonOperator_Gt_NotEq:1": (
        "if s != 0:",
        "a slack column has lower bound 0 and HiGHS keeps it within 1e-9 of that, so round() gives s >= 0 and "
        "`!= 0` is `> 0`."),
    "kompass/algorithms/sortition/model.py:ReplaceComparisonOperator_NotEq_Lt:3": (
        "if len(set(ids)) < len(ids):",
        "a set of a list never has more elements than the list, so `<` is `!=`."),
    "kompass/algorithms/sortition/model.py:ReplaceComparisonOperator_Gt_NotEq:1": (
        "if len(members) != 1:",
        "every list in by_key is created with its first member (setdefault + append), so len >= 1 and `!= 1` is "
        "`> 1`."),
    "kompass/algorithms/sortition/oracle.py:NumberReplacer:79": (
        "used[np.maximum(self.hh, -1)] == 0",
        "the index only matters where hh >= 0 (there max(hh, -1) and max(hh, 0) are both hh); for hh = -1 the left "
        "operand (hh < 0) is already True, and used[-1] exists because this branch runs only with a household."),
    "kompass/algorithms/opinions/matrix.py:ReplaceComparisonOperator_Eq_Gt:4": (
        'if csr.nnz > p.shape[0]:', FAST_PATH),
    "kompass/algorithms/opinions/matrix.py:ReplaceComparisonOperator_Eq_GtE:4": (
        'if csr.nnz >= p.shape[0]:', FAST_PATH),
    "kompass/algorithms/opinions/matrix.py:ReplaceComparisonOperator_Eq_Is:2": (
        'if csr.nnz is p.shape[0]:', FAST_PATH),
    "kompass/algorithms/opinions/matrix.py:NumberReplacer:47": (
        'if csr.nnz == p.shape[ -1]:', RAVELLED),
    "kompass/algorithms/opinions/clustering.py:NumberReplacer:39": (
        'np.unique(sample_labels).shape[ -1]', UNIQUE_1D),
    "kompass/algorithms/opinions/clustering.py:NumberReplacer:51": (
        'np.unique(best_labels).shape[ -1]', UNIQUE_1D),
    "kompass/algorithms/opinions/projection.py:ReplaceComparisonOperator_Eq_Gt:1": (
        'signs[signs > 0] = 1.0', SIGNS),
    "kompass/algorithms/opinions/projection.py:ReplaceComparisonOperator_Eq_GtE:1": (
        'signs[signs >= 0] = 1.0', SIGNS),
    "kompass/algorithms/opinions/projection.py:NumberReplacer:8": (
        'signs[signs == 1] = 1.0', SIGNS),
    "kompass/algorithms/opinions/projection.py:NumberReplacer:10": (
        'signs[signs == 0] = 2.0', SIGNS),
    "kompass/algorithms/opinions/projection.py:NumberReplacer:11": (
        'signs[signs == 0] = 0.0', SIGNS),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Gt_GtE:1": (
        'for t in order if gap >= 0 else', GAP_LOOP),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:63": (
        'for t in order if gap > -1 else', GAP_LOOP),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Gt_GtE:2": (
        'if gap >= 0 else (x[t] - lb[t])', GAP_NONZERO),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:69": (
        'if gap > -1 else (x[t] - lb[t])', GAP_NONZERO),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Gt_GtE:4": (
        'x[t] += step if gap >= 0 else -step', GAP_NONZERO),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:73": (
        'x[t] += step if gap > -1 else -step', GAP_NONZERO),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Gt_GtE:5": (
        'gap += -step if gap >= 0 else step', GAP_NONZERO),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:75": (
        'gap += -step if gap > -1 else step', GAP_NONZERO),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Gt_GtE:3": (
        'if step >= 0:', STEP_ZERO),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:71": (
        'if step > -1:', STEP_ZERO),
    "kompass/algorithms/sortition/relaxation.py:ReplaceBreakWithContinue:0": (
        'continue', GAP_DONE),
    "kompass/algorithms/progress/result.py:ReplaceComparisonOperator_Is_Eq:0": (
        "self.status == Status.ACHIEVED",
        "Enum members are singletons and Enum.__eq__ is identity, so `is` and `==` agree for every value."),
    "kompass/algorithms/sortition/invite.py:ReplaceComparisonOperator_Lt_IsNot:0": (
        "if seats[s] is not sizes[s]:",
        "count <= total makes seats[s] = floor(quota) < sizes[s] whenever a seat is left, so `<`, `!=` and "
        "`is not` agree on every reachable state."),
    "kompass/algorithms/sortition/lottery.py:NumberReplacer:15": (
        "if J > 0 else base",
        "with a single panel (J = 1) every slot move is from that panel to itself, so the local search returns "
        "its start unchanged: running it or not gives the same multiplicities."),
    "kompass/algorithms/sortition/lottery.py:NumberReplacer:12": (
        "if len(nj) else 1.0",
        "err() never sees an empty list: with no panels `A` has no second axis and `J, T = A.shape` fails first."),
    "kompass/algorithms/sortition/leximin.py:ReplaceComparisonOperator_GtE_Eq:0": (
        "forced = poly.lower == poly.c",
        "a type's fixed members are some of its members, so lower <= count and `>=` is `==` for every type."),
    "kompass/algorithms/sortition/leximin.py:ReplaceComparisonOperator_LtE_Eq:2": (
        "len(pool.panels) == 1",
        "the feasible base panel is added to the pool before this test, so the pool is never empty."),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_LtE:5": (
        'if kind <= "lp":',
        'kind runs over "lp", "rens", "mip"; of these only "lp" is <= "lp" in string order.'),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_LtE:2": (
        'if kind <= "lp" else self.mip',
        'kind runs over "lp", "rens", "mip"; of these only "lp" is <= "lp" in string order.'),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_LtE:6": (
        'if kind <= "lp":',
        'kind runs over "lp", "rens", "mip"; of these only "lp" is <= "lp" in string order.'),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_GtE:3": (
        'if kind >= "rens":',
        'kind runs over "lp", "rens", "mip"; of these only "rens" is >= "rens" in string order.'),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_NotEq_Gt:1": (
        'if kind > "lp":',
        'kind runs over "lp", "rens", "mip"; "rens" and "mip" are > "lp" in string order and "lp" is not, so '
        '`>` is `!=`.'),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_NotEq_IsNot:1": (
        'if kind is not "lp":', INTERNED),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_Is:0": (
        'if kind is "lp" else self.mip', INTERNED),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_Is:1": (
        'if kind is "rens":', INTERNED),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_Is:2": (
        'if kind is "lp":', INTERNED),
    "kompass/algorithms/opinions/matrix.py:ReplaceComparisonOperator_Lt_Eq:3": (
        "dtype=np.int32 if p.shape[0] == 2**31 - 1 else np.int64",
        "only the integer width of the internal vote positions changes (int64 holds the same 1..n values)."),
    "kompass/algorithms/opinions/matrix.py:NumberReplacer:44": (
        "p.shape[0] < 2**31 - 2 else np.int64",
        "only the integer width of the internal vote positions changes (int64 instead of int32 at one size)."),
    "kompass/algorithms/opinions/statistics.py:ReplaceComparisonOperator_Lt_Is:0": (
        "key_type = np.int32 if k * n_s is 2",
        "a freshly computed int is never the same object as 2**31, so int64 keys are always used: same values."),
    "kompass/algorithms/opinions/types.py:NumberReplacer:62": (
        "return self.k > 1",
        "cluster_points returns k = 0 or k >= 2 (fewer than two groups is reported as k = 0), never k = 1."),
    "kompass/algorithms/progress/open_sdg.py:NumberReplacer:76": (
        "if factor == 0 and growth >= 1:",
        "with C = 0 the scaled thresholds are (0, 0, low), so _classify gives ON_TRACK for every growth >= 0 too."),
    "kompass/algorithms/similarity.py:ReplaceComparisonOperator_Gt_GtE:1": (
        "if len(a) >= len(b):",
        "cosine is symmetric: the swap only chooses which vector is iterated over (the same products are summed)."),
    "kompass/algorithms/similarity.py:ReplaceComparisonOperator_Gt_IsNot:0": (
        "if len(a) is not len(b):",
        "cosine is symmetric: the swap only chooses which vector is iterated over (the same products are summed)."),
    "kompass/lifecycle/services/selection.py:ReplaceComparisonOperator_Eq_LtE:2": (
        "candidate.source <= Candidate.Source.ADMINISTRATION",
        'Candidate.Source is "administration", "citizen_idea" or "external"; only the first is <= "administration".'),
    "kompass/lifecycle/services/selection.py:ReplaceComparisonOperator_Eq_LtE:3": (
        "if decision <= Candidate.Status.ADMITTED:",
        'decision is checked to be "admitted", "rejected" or "deferred" just above; only "admitted" is <= "admitted".'),
    "kompass/lifecycle/services/_common.py:ReplaceTrueWithFalse:0": (
        'values_list("pk", flat=False)',
        "the list only takes the SELECT ... FOR UPDATE row lock; its values (tuples or ints) are discarded."),
    "kompass/monitoring/services/_common.py:NumberReplacer:0": (
        "BATCH = 2001",
        "BATCH is only the batch_size of bulk_create/bulk_update: how many statements are sent, not what is written."),
    # scope core
    "kompass/jobs/services.py:NumberReplacer:6": (
        "self._last = - 2",
        "the start value of _last is only read behind `self._last >= 0`, which is false for -1 and -2 alike."),
    "kompass/jobs/services.py:ReplaceUnaryOperator_USub_Invert:0": (
        "self._last = ~1",
        "~1 is -2: the start value of _last is only read behind `self._last >= 0`, false for -1 and -2 alike."),
    "kompass/jobs/services.py:NumberReplacer:3": (
        "every: int = 0):",
        "the default interval is only used as max(1, every), and max(1, 0) == max(1, 1) == 1."),
    # scope monitoring
    "kompass/monitoring/services/cycles.py:ReplaceComparisonOperator_NotEq_Gt:2": (
        "if new_methods and kind > Decision.Kind.ADJUST_EVALUATION:",
        'kind is checked to be a Decision.Kind first; "adjust_evaluation" is the least of the five, so `>` is `!=`.'),
    "kompass/monitoring/values.py:NumberReplacer:2": (
        'is not a period.") % {"value": text[: 41]}',
        "this text matched PERIOD_RE (at most 10 characters, e.g. 2024-Q1-31): cutting it at 40 or 41 is the same."),
    "kompass/monitoring/values.py:NumberReplacer:3": (
        'is not a period.") % {"value": text[: 39]}',
        "this text matched PERIOD_RE (at most 10 characters, e.g. 2024-Q1-31): cutting it at 40 or 39 is the same."),
    "kompass/monitoring/values.py:NumberReplacer:14": (
        'is not a valid date.") % {"value": text[: 41]}',
        "this text matched PERIOD_RE (at most 10 characters, e.g. 2024-13-45): cutting it at 40 or 41 is the same."),
    "kompass/monitoring/values.py:NumberReplacer:15": (
        'is not a valid date.") % {"value": text[: 39]}',
        "this text matched PERIOD_RE (at most 10 characters, e.g. 2024-13-45): cutting it at 40 or 39 is the same."),
    "kompass/monitoring/services/cycles.py:ReplaceComparisonOperator_Eq_LtE:0": (
        "if cycle.state <= EvaluationCycle.State.CLOSED:",
        'a cycle\'s state is "open" or "closed" and "open" > "closed", so `<=` is `==` for both states.'),
    "kompass/monitoring/services/statuses.py:NumberReplacer:4": (
        '"value").iterator(chunk_size= 20001)',
        "the iterator's chunk size is how many rows each fetch brings, not which rows or in what order."),
    "kompass/monitoring/services/statuses.py:NumberReplacer:5": (
        '"value").iterator(chunk_size= 19999)',
        "the iterator's chunk size is how many rows each fetch brings, not which rows or in what order."),
    "kompass/monitoring/services/statuses.py:ReplaceComparisonOperator_Eq_LtE:0": (
        "if progress and done % 1000 <= 0:",
        "done counts from 1, so done % 1000 is never negative and `<= 0` is `== 0`."),
    "kompass/monitoring/services/measurements.py:ReplaceFalseWithTrue:0": (
        "provisional = True",
        "this branch appends a row error, and a row with errors is never written, so the flag's value is unused."),
    "kompass/monitoring/values.py:ReplaceComparisonOperator_Eq_LtE:1": (
        "day.month <= 1 and day.day == 1",
        "a date's month is at least 1, so `day.month <= 1` is `day.month == 1`."),
    "kompass/monitoring/values.py:ReplaceComparisonOperator_Eq_LtE:2": (
        "day.month == 1 and day.day <= 1",
        "a date's day is at least 1, so `day.day <= 1` is `day.day == 1`."),
    "kompass/monitoring/values.py:ReplaceComparisonOperator_Eq_LtE:4": (
        'cadence == "quarterly" and day.day <= 1',
        "a date's day is at least 1, so `day.day <= 1` is `day.day == 1`."),
    "kompass/monitoring/values.py:ReplaceComparisonOperator_Eq_LtE:6": (
        'cadence == "monthly" and day.day <= 1',
        "a date's day is at least 1, so `day.day <= 1` is `day.day == 1`."),
    "kompass/monitoring/values.py:ReplaceBinaryOperator_Sub_Add:3": (
        'return f"{day.year}-Q{(day.month + 1) // 3 + 1}"',
        "the branch runs only for months 1, 4, 7 and 10, where (m - 1) // 3 and (m + 1) // 3 are both 0, 1, 2, 3."),
    # scope flow
    "kompass/lifecycle/services/phases.py:ReplaceComparisonOperator_NotEq_Lt:0": (
        "if i < len(ordered) - 1:",
        "i is the index of the current phase in `ordered`, so 0 <= i <= len(ordered) - 1 and `<` is `!=`."),
    "kompass/participation/services/notifications.py:RemoveDecorator:0": (
        "",
        "notifications_mark_read writes with a single UPDATE after read-only checks; a transaction around one "
        "statement changes nothing."),
    # scope algorithms
    "kompass/algorithms/sortition/oracle.py:ReplaceComparisonOperator_Eq_LtE:1": (
        "if info.primal_solution_status <= 0:",
        STATUS_LE),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_LtE:4": (
        "if h.getInfo().primal_solution_status <= 0:",
        STATUS_LE),
    "kompass/algorithms/sortition/feasibility.py:ReplaceComparisonOperator_NotEq_Gt:0": (
        "if h.getInfo().primal_solution_status > 0:",
        STATUS_GT),
    "kompass/algorithms/sortition/leximin.py:ReplaceComparisonOperator_NotEq_Gt:0": (
        "if h.getInfo().primal_solution_status > 0:",
        STATUS_GT),
    "kompass/algorithms/sortition/lottery.py:ReplaceComparisonOperator_NotEq_Gt:0": (
        "if h.getInfo().primal_solution_status > 0:",
        STATUS_GT),
    "kompass/algorithms/sortition/oracle.py:ReplaceUnaryOperator_USub_Not:7": (
        "w[rows][:, None], not np.inf)",
        "forbidden swaps get gain 0 instead of -inf; a swap is only made when the largest gain is > 1e-12, so the "
        "same swap is chosen, or the search stops, in both."),
    "kompass/algorithms/opinions/statistics.py:ReplaceComparisonOperator_Eq_Lt:1": (
        "if k == 0 or votes.n_votes < 0:",
        "without votes every bincount runs over an empty key array and gives the same zero counts; the early "
        "return only saves that work (and n_votes, an array length, is never negative)."),
    "kompass/algorithms/opinions/statistics.py:ReplaceComparisonOperator_Eq_LtE:1": (
        "if k == 0 or votes.n_votes <= 0:",
        "n_votes is an array length, never negative: `<= 0` is `== 0`."),
    "kompass/algorithms/opinions/statistics.py:NumberReplacer:5": (
        "if k == 0 or votes.n_votes == -1:",
        "without votes every bincount runs over an empty key array and gives the same zero counts; the early "
        "return only saves that work (and n_votes, an array length, is never -1)."),
    "kompass/algorithms/opinions/pipeline.py:ReplaceComparisonOperator_Eq_LtE:0": (
        "if v.n_votes <= 0:",
        "n_votes is an array length, never negative: `<= 0` is `== 0`."),
    "kompass/algorithms/sortition/legacy.py:NumberReplacer:11": (
        "nonzero(self.fixed)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:83": (
        "nonzero(free)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:99": (
        "nonzero(col)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:171": (
        "nonzero(forced)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:177": (
        "nonzero(~is_fixed)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:179": (
        "nonzero(tight)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:199": (
        "nonzero(lam)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/opinions/matrix.py:NumberReplacer:39": (
        "p.shape[ -1] < 2**31 - 1",
        WIDTH + " (p is 1-D, so shape[-1] is shape[0])"),
    "kompass/algorithms/opinions/matrix.py:NumberReplacer:41": (
        "p.shape[0] < 1**31 - 1",
        WIDTH),
    "kompass/algorithms/opinions/matrix.py:NumberReplacer:43": (
        "p.shape[0] < 2** 30 - 1",
        WIDTH),
    "kompass/algorithms/opinions/matrix.py:NumberReplacer:45": (
        "p.shape[0] < 2**31 - 0",
        WIDTH),
    "kompass/algorithms/opinions/matrix.py:ReplaceBinaryOperator_Pow_Mul:0": (
        "p.shape[0] < 2*31 - 1",
        WIDTH),
    "kompass/algorithms/opinions/projection.py:NumberReplacer:21": (
        "n_fit = fit_idx.shape[ -1]",
        "fit_idx comes from np.flatnonzero, always 1-D, so shape[-1] is shape[0]."),
    "kompass/algorithms/progress/open_sdg.py:NumberReplacer:70": (
        "if inp.base else 1.0",
        DEAD_BASE),
    "kompass/algorithms/progress/open_sdg.py:NumberReplacer:71": (
        "if inp.base else -1.0",
        DEAD_BASE),
    "kompass/algorithms/similarity.py:NumberReplacer:12": (
        "or 2.0",
        EMPTY_VECTOR),
    "kompass/algorithms/similarity.py:NumberReplacer:13": (
        "or 0.0",
        EMPTY_VECTOR),
    "kompass/algorithms/sortition/stats.py:NumberReplacer:1": (
        "if n == -1 or p.sum() <= 0:",
        EMPTY_SUM),
    "kompass/algorithms/sortition/stats.py:ReplaceComparisonOperator_Eq_Lt:0": (
        "if n < 0 or p.sum() <= 0:",
        EMPTY_SUM),
    "kompass/algorithms/sortition/stats.py:ReplaceComparisonOperator_Eq_LtE:0": (
        "if n <= 0 or p.sum() <= 0:",
        EMPTY_SUM),
    "kompass/algorithms/sortition/lottery.py:ReplaceComparisonOperator_Gt_GtE:1": (
        "sign = 1.0 if err[t] >= 0 else -1.0",
        "err[t] is the largest change in absolute value; when it is 0 every change is 0, no move can go below "
        "cur - 1e-15 and the search stops, so the sign (which only orders the donors) is never used."),
    "kompass/algorithms/progress/open_sdg.py:ReplaceComparisonOperator_GtE_Eq:8": (
        "if factor == 0 and growth == 0:",
        "with C = 0 the scaled thresholds are (0, 0, 0), so _classify gives ON_TRACK for every growth >= 0 too; "
        "the score is computed after either branch in the same way."),
    "kompass/algorithms/progress/open_sdg.py:ReplaceComparisonOperator_LtE_Lt:0": (
        "if b < lim:",
        "at b == l both branches give exactly 0: 1 - (b/l)^4.44 = 1 - 1 and 1 - ((2l - b)/l)^4.44 = 1 - 1 "
        "(2l - l and l/l are exact in floating point); b = l = 0 takes the first test (b >= 2l)."),
    "kompass/algorithms/progress/growth.py:ReplaceComparisonOperator_Eq_GtE:7": (
        "if direction >= 1 else value <= target",
        "target_reached is only called with ProgressInput.direction, which normalise_input restricts to +1 or -1."),
    "kompass/algorithms/progress/rollup.py:ReplaceComparisonOperator_Is_Eq:1": (
        "if status == Status.NOT_COMPUTABLE:",
        "Enum members are singletons and Enum.__eq__ is identity, so `is` and `==` agree for every value."),
    "kompass/algorithms/similarity.py:NumberReplacer:15": (
        "return max( -1.0, min(1.0,",
        "every term weight is > 0, so the sum of products is >= 0 and a lower clamp at -1 or at 0 changes nothing."),
    "kompass/algorithms/sortition/legacy.py:ReplaceComparisonOperator_Gt_GtE:2": (
        "if len(best) >= 1 else best[0]",
        "numpy's Generator.integers(1) returns 0 without advancing the bit generator (a range of one value takes "
        "no random bits), so drawing among a single best value is taking it, with the same stream afterwards."),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:152": (
        "gap = 1.0",
        "the start value is dead: the only way out of the exact-master loop that reaches the read of gap is the "
        "break right after `panel, gap = pricing.exact(...)`."),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:153": (
        "gap = -1.0",
        "the start value is dead: the only way out of the exact-master loop that reaches the read of gap is the "
        "break right after `panel, gap = pricing.exact(...)`."),
    "kompass/algorithms/sortition/lottery.py:NumberReplacer:29": (
        "nonzero(A[:, t])[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/lottery.py:NumberReplacer:49": (
        "nonzero(n > 0)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/oracle.py:NumberReplacer:73": (
        "nonzero(x > self.lower)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:15": (
        "nonzero(self.M[i])[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:17": (
        "nonzero(self.H[i])[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:45": (
        "nonzero(~is_fixed)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:47": (
        "nonzero(tight)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/relaxation.py:NumberReplacer:87": (
        "nonzero(x > lb)[ -1]",
        NONZERO_1D),
    "kompass/algorithms/sortition/oracle.py:NumberReplacer:60": (
        "self.hh = np.full(len(inst.types), - 2)",
        "the sentinel for 'no household' is only compared with < 0 / >= 0, clipped to 0 and compared among "
        "types that both have a household, so -2 works exactly as -1."),
    "kompass/algorithms/sortition/leximin.py:ReplaceBinaryOperator_Sub_Add:3": (
        "seconds=time.perf_counter() + t0)",
        "this stats['seconds'] is always overwritten by _finish (dict(stats, ..., seconds=...)) before it is read."),
    "kompass/algorithms/sortition/legacy.py:ReplaceComparisonOperator_Gt_NotEq:0": (
        "inst.types[ti].lower != 0 for ti",
        "a type's lower bound counts its fixed members, never negative, so `!= 0` is `> 0`."),
    "kompass/algorithms/sortition/leximin.py:NumberReplacer:157": (
        "if free.any() else -1.0",
        "with no free type the shortfall is only used as max(worst, 0.0) and in worst <= ATTAIN_TOL, the same for "
        "-1 and 0."),
    "kompass/algorithms/progress/linear.py:NumberReplacer:6": (
        "math.copysign(math.inf, progress) if progress else 1.0",
        "distance 0 and progress 0 mean the current value equals the target, which returned ACHIEVED before."),
    "kompass/algorithms/opinions/matrix.py:ReplaceComparisonOperator_Eq_Lt:3": (
        "if p.size < 0:",
        "without votes the COO -> CSR path builds the same empty Votes (zero indptr, empty int32 indices and int8 "
        "values); the early return only saves that work."),
    "kompass/algorithms/progress/open_sdg.py:ReplaceTrueWithFalse:2": (
        "scaled, strict=False))",
        "`scaled` is always the 3-tuple built on the line before, so the zip over two 3-sequences never meets "
        "unequal lengths and `strict` has nothing to check."),
    "kompass/algorithms/progress/rollup.py:ReplaceTrueWithFalse:1": (
        "zip(children, child_weights, strict=False)",
        "_weights returns exactly one weight per child (it raises on any other number), so the lengths always "
        "agree and `strict` has nothing to check."),
    "kompass/algorithms/opinions/projection.py:ReplaceComparisonOperator_Eq_LtE:5": (
        "coords[n_voted <= 0] = np.nan",
        "n_voted counts each participant's votes (a bincount), never negative: `<= 0` is `== 0`."),
    "kompass/algorithms/sortition/relaxation.py:ReplaceComparisonOperator_Eq_Is:3": (
        'if kind is "lp":', INTERNED),
}
