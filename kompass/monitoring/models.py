"""Monitoring: impact chains (inputs, goals on the IOOI ladder, indicators), measurements, computed statuses and
evaluation cycles (reviews, board comments, decisions).

Computed statuses live in denormalised tables (IndicatorStatus, GoalStatus, MeasureStatus, AggregateStatus)
that `services.refresh_statuses` rewrites in bulk after every write, so pages never recompute."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompass.algorithms.progress import METHODS, Status
from kompass.core.models import LocalizedMixin
from kompass.core.plausible import check_date, check_value, is_percent
from kompass.monitoring.labels import METHOD_LABELS, STATUS_LABELS

METHOD_CHOICES = [(key, METHOD_LABELS.get(key, key)) for key in METHODS]
STATUS_CHOICES = [(s.value, STATUS_LABELS.get(s.value, s.value)) for s in Status]


class DatePrecision(models.TextChoices):
    """How precisely a target or baseline date was entered (monitoring.dated, ADR 0081)."""

    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class PeriodPrecision(models.TextChoices):
    """How a measurement's period was entered: 2024, 2024-Q2, 2024-05 or 2024-05-17 (values.parse_period)."""

    YEAR = "year", _("year")
    QUARTER = "quarter", _("quarter")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class Level(models.TextChoices):
    OUTPUT = "output", _("output")
    OUTCOME = "outcome", _("outcome")
    IMPACT = "impact", _("impact")


LEVEL_ORDER = [Level.OUTPUT, Level.OUTCOME, Level.IMPACT]


class MeasureInput(LocalizedMixin, models.Model):
    """An input of a measure's impact chain (money, staff, partners, data …)."""

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="monitoring_inputs")
    position = models.PositiveIntegerField(_("sort order"), default=0)
    text = models.CharField(_("input"), max_length=300)
    text_en = models.CharField(_("input (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Goal(LocalizedMixin, models.Model):
    """A goal of a measure on one level of the IOOI ladder. `assumption` is the link from the level below
    (inputs for an output goal) to this goal; it is reviewed in every evaluation cycle."""

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="monitoring_goals")
    slug = models.SlugField(_("short name (web address)"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    position = models.PositiveIntegerField(_("sort order"), default=0)
    title = models.CharField(_("goal"), max_length=300)
    title_en = models.CharField(_("goal (English)"), max_length=300, blank=True)
    assumption = models.TextField(_("assumption"), blank=True)
    assumption_en = models.TextField(_("assumption (English)"), blank=True)
    assumption_reviewed_in = models.ForeignKey("EvaluationCycle", verbose_name=_("assumption reviewed in"), null=True,
                                               blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["measure", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["measure", "slug"], name="unique_goal_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def level_rank(self) -> int:
        return [lv.value for lv in LEVEL_ORDER].index(self.level)


class Indicator(LocalizedMixin, models.Model):
    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        YEARLY = "yearly", _("yearly")
        IRREGULAR = "irregular", _("irregular")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="indicators")
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="monitoring_indicators")
    slug = models.SlugField(_("short name (web address)"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("sort order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.SmallIntegerField(_("direction"), choices=[(1, _("higher is better")),
                                                                 (-1, _("lower is better"))], default=1)
    baseline_value = models.FloatField(_("baseline value"))
    baseline_date = models.DateField(_("baseline date"))
    baseline_date_precision = models.CharField(_("precision of the baseline date"), max_length=5,
                                               choices=DatePrecision.choices, default=DatePrecision.DAY,
                                               db_default=DatePrecision.DAY)
    natural_limit = models.FloatField(_("natural limit"), null=True, blank=True)
    method = models.CharField(_("progress method"), max_length=20, choices=METHOD_CHOICES, default="open_sdg")
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    cadence = models.CharField(_("update cadence"), max_length=20, choices=Cadence.choices, default=Cadence.YEARLY)
    responsible_organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                                 verbose_name=_("responsible organisation"),
                                                 on_delete=models.SET_NULL, related_name="+")
    by_district = models.BooleanField(_("breakdown by district"), default=False)
    # The person in the measure's team who keeps the values up to date and is reminded before each is due.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="owned_indicators", verbose_name=_("owner"))
    # The due date the owner was last reminded of (one reminder per due date).
    reminded_for = models.DateField(_("reminder sent for"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        check_date("baseline_date", self.baseline_date)
        if self.baseline_value is not None:
            check_value("baseline_value", self.baseline_value, unit=self.unit, baseline=self.baseline_value)
        if self.natural_limit is not None and is_percent(self.unit):
            check_value("natural_limit", self.natural_limit, unit=self.unit)


class TargetVersion(LocalizedMixin, models.Model):
    """One version of an indicator's target. A realignment adds a version; versions are never overwritten."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.CASCADE, related_name="target_versions")
    version = models.PositiveIntegerField(_("version"))
    value = models.FloatField(_("target value"))
    target_date = models.DateField(_("target date"))
    target_date_precision = models.CharField(_("precision of the target date"), max_length=5,
                                             choices=DatePrecision.choices, default=DatePrecision.DAY,
                                             db_default=DatePrecision.DAY)
    reason = models.TextField(_("reason"), blank=True)
    reason_en = models.TextField(_("reason (English)"), blank=True)
    cycle = models.ForeignKey("EvaluationCycle", verbose_name=_("evaluation cycle"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="target_versions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("version of a target")
        verbose_name_plural = _("versions of a target")
        ordering = ["indicator", "version"]
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="unique_target_version")]

    def __str__(self) -> str:
        return f"{self.indicator_id} v{self.version}: {self.value} by {self.target_date}"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="measurements")
    period = models.DateField(_("period"), help_text=_("Start of the period the value describes."))
    period_precision = models.CharField(_("precision of the period"), max_length=7, choices=PeriodPrecision.choices,
                                        default=PeriodPrecision.DAY, db_default=PeriodPrecision.DAY)
    value = models.FloatField(_("value"))
    district = models.ForeignKey("strategy.District", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_provisional = models.BooleanField(_("provisional"), default=False)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], condition=Q(district__isnull=True),
                                    name="unique_measurement_citywide"),
            models.UniqueConstraint(fields=["indicator", "period", "district"],
                                    condition=Q(district__isnull=False), name="unique_measurement_district"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"


class IndicatorStatus(models.Model):
    """The computed status of an indicator (denormalised; rewritten by services.refresh_statuses)."""

    indicator = models.OneToOneField(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, primary_key=True,
                                     related_name="computed")
    status = models.CharField(_("status"), max_length=24, choices=STATUS_CHOICES)
    score = models.FloatField(_("score"), null=True)
    method = models.CharField(_("progress method"), max_length=20)
    label = models.CharField(_("status label"), max_length=40, blank=True)
    reason = models.TextField(_("reason of the status"), blank=True)
    components = models.JSONField(_("components of the calculation"), default=dict)
    latest_value = models.FloatField(_("latest value"), null=True)
    latest_period = models.DateField(_("latest period"), null=True)
    n_points = models.PositiveIntegerField(_("number of data points"), default=0)
    trend = models.SmallIntegerField(_("trend"),
                                     default=0, help_text=_("+1 improving, -1 worsening, 0 flat or unknown"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("status of an indicator")
        verbose_name_plural = _("statuses of indicators")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.status}"



class GoalStatus(models.Model):
    goal = models.OneToOneField(Goal, verbose_name=_("goal"),
                                on_delete=models.CASCADE, primary_key=True, related_name="computed")
    status = models.CharField(_("status"), max_length=24, choices=STATUS_CHOICES)
    score = models.FloatField(_("score"), null=True)
    rollup = models.JSONField(_("roll-up of the level below"), default=dict)

    class Meta:
        verbose_name = _("status of a goal")
        verbose_name_plural = _("statuses of goals")

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.status}"



class MeasureStatus(models.Model):
    """Measure-level roll-up plus one status per IOOI level and the completeness of its impact chain."""

    measure = models.OneToOneField("measures.Measure", verbose_name=_("measure"), on_delete=models.CASCADE,
                                   primary_key=True, related_name="monitoring_status")
    status = models.CharField(_("status"), max_length=24, choices=STATUS_CHOICES)
    score = models.FloatField(_("score"), null=True)
    output_status = models.CharField(_("output status"), max_length=24, blank=True)
    outcome_status = models.CharField(_("outcome status"), max_length=24, blank=True)
    impact_status = models.CharField(_("impact status"), max_length=24, blank=True)
    n_indicators = models.PositiveIntegerField(_("number of indicators"), default=0)
    trend = models.SmallIntegerField(_("trend"), default=0)
    chain_complete = models.BooleanField(_("impact chain complete"), default=False)
    rollup = models.JSONField(_("roll-up of the level below"), default=dict)

    class Meta:
        verbose_name = _("status of a measure")
        verbose_name_plural = _("statuses of measures")

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.status}"



class AggregateStatus(models.Model):
    """Roll-ups above the measure: action fields, values (weights = alignment strength) and the strategy."""

    class Kind(models.TextChoices):
        ACTION_FIELD = "action_field", _("action field")
        VALUE = "value", _("value (Leitgedanke)")
        STRATEGY = "strategy", _("strategy")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"),
                                 on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=120)
    name = models.CharField(_("name"), max_length=250, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=STATUS_CHOICES)
    score = models.FloatField(_("score"), null=True)
    rollup = models.JSONField(_("roll-up of the level below"), default=dict)

    class Meta:
        verbose_name = _("summarised status")
        verbose_name_plural = _("summarised statuses")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["strategy", "kind", "key"], name="unique_aggregate")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.status}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "de").startswith("en") and self.name_en else self.name


class EvaluationCycle(LocalizedMixin, models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"),
                                 on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("short name (web address)"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline for reviews"))
    state = models.CharField(_("state of the cycle"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    snapshot_open = models.JSONField(_("state when the cycle was opened"),
                                     default=dict, help_text=_("State of goals, targets, methods and statuses "
                                                             "when the cycle was opened."))
    snapshot_close = models.JSONField(_("state when the cycle was closed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["strategy", "slug"], name="unique_cycle_slug")]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """A measure team's review in a cycle: what it learned and which changes it proposes."""

    cycle = models.ForeignKey(EvaluationCycle, verbose_name=_("evaluation cycle"),
                              on_delete=models.CASCADE, related_name="reviews")
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="monitoring_reviews")
    learned = models.TextField(_("what we learned"))
    proposed_changes = models.TextField(_("proposed changes"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["cycle", "measure"]
        constraints = [models.UniqueConstraint(fields=["cycle", "measure"], name="unique_review")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.measure_id}"



class GoalAssessment(models.Model):
    class Rating(models.TextChoices):
        ACHIEVED = "achieved", _("achieved or on track")
        PARTLY = "partly", _("partly")
        NOT = "not", _("not achieved")
        UNCLEAR = "unclear", _("cannot be judged yet")

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="assessments")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="assessments")
    rating = models.CharField(_("assessment"), max_length=10, choices=Rating.choices)
    text = models.TextField(_("comment"), blank=True)
    assumption_holds = models.BooleanField(_("the assumption still holds"), default=True)

    class Meta:
        verbose_name = _("assessment of a goal")
        verbose_name_plural = _("assessments of goals")
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="unique_goal_assessment")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.rating}"



class BoardComment(models.Model):
    cycle = models.ForeignKey(EvaluationCycle, verbose_name=_("evaluation cycle"),
                              on_delete=models.CASCADE, related_name="comments")
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("accounts.UserGroup", verbose_name=_("user group"),
                              on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment of a board")
        verbose_name_plural = _("comments of boards")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]



class Decision(models.Model):
    class Kind(models.TextChoices):
        CONTINUE = "continue", _("continue")
        ADJUST_GOALS = "adjust_goals", _("adjust goals")
        ADJUST_EVALUATION = "adjust_evaluation", _("adjust the evaluation")
        SCALE = "scale", _("scale")
        STOP = "stop", _("stop")

    cycle = models.ForeignKey(EvaluationCycle, verbose_name=_("evaluation cycle"),
                              on_delete=models.CASCADE, related_name="decisions")
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="monitoring_decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["cycle", "measure"]
        constraints = [models.UniqueConstraint(fields=["cycle", "measure"], name="unique_decision")]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.kind}"
