"""Which modules each mutation scope covers and which tests run for a mutant of each module (first matching
prefix wins). Keep the lists narrow: a surviving mutant costs the whole list (docs/mutation/README.md)."""

from __future__ import annotations

from dataclasses import dataclass

A, L, M, P = "tests/algorithms/", "tests/lifecycle/", "tests/monitoring/", "tests/participation/"
LW = "tests/lottery_web/"
MATRIX = "tests/accounts/test_permission_matrix_mutants.py"


@dataclass(frozen=True)
class Scope:
    modules: tuple[str, ...]
    tests: tuple[tuple[str, str], ...]  # (module path prefix, test files), first match wins
    database: bool = True


SCOPES: dict[str, Scope] = {
    "algorithms": Scope(
        ("kompass/algorithms",),
        (("kompass/algorithms/progress/", " ".join(A + f"test_progress_{n}.py" for n in (
            "mutants", "edges", "api", "open_sdg", "other_methods", "reference", "properties"))),
         ("kompass/algorithms/opinions/", f"{A}test_opinions_mutants.py {A}test_opinions_edges.py "
                                          f"{A}test_opinions_statistics.py "
                                          f"{A}test_opinions_core.py "
                                          f"{A}test_opinions_properties.py"),
         ("kompass/algorithms/similarity.py", f"{A}test_similarity_mutants.py {A}test_similarity.py"),
         ("kompass/algorithms/sortition/", f"{A}test_sortition_internals.py {A}test_sortition_edges.py "
                                           f"{A}test_sortition_settings.py {A}test_sortition_paths.py "
                                           f"{A}test_sortition_select.py "
                                           f"{A}test_sortition_mutants.py "
                                           f"{A}test_sortition_lottery.py "
                                           f"{A}test_sortition_leximin.py "
                                           f"{A}test_sortition_certified.py")),
        database=False),
    "core": Scope(
        ("kompass/measures/services.py", "kompass/measures/rules.py", "kompass/strategy/services.py",
         "kompass/strategy/sections.py", "kompass/strategy/rules.py", "kompass/organisations/services.py",
         "kompass/accounts/rules.py", "kompass/jobs/rules.py", "kompass/jobs/services.py"),
        (("kompass/jobs/rules.py", f"{MATRIX} tests/jobs/test_jobs_mutants.py tests/jobs/test_jobs.py "
                                   "tests/accounts/test_rules_mutants.py"),
         ("kompass/jobs/", "tests/jobs/test_jobs_mutants.py tests/jobs/test_jobs.py tests/jobs/test_purge.py "
                           "tests/jobs/test_task_runs_settled.py"),
         ("kompass/accounts/rules.py", f"{MATRIX} tests/accounts/test_rules_mutants.py "
                                       "tests/accounts/test_permissions.py tests/test_actors.py"),
         ("kompass/measures/rules.py", f"{MATRIX} tests/accounts/test_permissions.py tests/measures/test_wiring.py"),
         ("kompass/strategy/rules.py", f"{MATRIX} tests/accounts/test_permissions.py tests/strategy/test_services.py"),
         ("kompass/strategy/sections.py", "tests/strategy/test_sections_mutants.py tests/strategy/test_services.py "
                                          "tests/strategy/test_loader.py tests/measures/test_services.py"),
         ("kompass/organisations/", "tests/organisations/test_services_mutants.py tests/strategy/test_loader.py "
                                    "tests/strategy/test_services.py"),
         ("kompass/", "tests/measures/test_services_mutants.py tests/strategy/test_services_mutants.py "
                      "tests/measures/test_services.py tests/measures/test_wiring.py tests/strategy/test_services.py "
                      "tests/strategy/test_loader.py tests/accounts/test_permissions.py tests/test_actors.py"))),
    "platform": Scope(
        ("kompass/lottery/rules.py", "kompass/lottery/services", "kompass/accounts/services.py",
         "kompass/audit/services.py", "kompass/opendata/services.py"),
        (("kompass/lottery/rules.py", f"{LW}test_roles.py"),
         ("kompass/lottery/services/", f"{LW}test_services_mutants.py {LW}test_process.py {LW}test_roles.py "
                                       f"{LW}test_purge_unlinks_accounts.py "
                                       f"{LW}test_upload_files.py {LW}test_export_guard.py {LW}test_properties.py"),
         ("kompass/accounts/services.py", "tests/accounts/test_accounts.py tests/accounts/test_tokens.py "
                                          "tests/accounts/test_service_actors.py "
                                          "tests/security/test_account_deletion.py "
                                          f"{P}test_citizen_accounts.py"),
         ("kompass/audit/services.py", "tests/test_actors.py tests/accounts/test_service_actors.py "
                                       "tests/security/test_account_deletion.py "
                                       "tests/measures/test_services_mutants.py"),
         ("kompass/opendata/services.py", "tests/opendata/test_services_mutants.py tests/opendata/test_opensdg.py "
                                          "tests/opendata/test_harvest_schedule.py "
                                          "tests/opendata/test_federation.py"))),
    "flow": Scope(
        ("kompass/lifecycle/rules.py", "kompass/participation/rules.py", "kompass/lifecycle/services",
         "kompass/participation/services"),
        (("kompass/lifecycle/rules.py", f"{L}test_rules.py {L}test_roles.py"),
         ("kompass/participation/rules.py", f"{P}test_rules.py {P}test_roles_and_moderation.py"),
         ("kompass/lifecycle/services/phases.py",
          f"{L}test_services_mutants.py {L}test_process.py {L}test_properties.py {L}test_api.py "
          f"{L}test_atomic_mutants.py"),
         ("kompass/lifecycle/services/process.py",
          f"{L}test_services_mutants.py {L}test_process.py {L}test_properties.py {L}test_api.py"),
         ("kompass/lifecycle/services/imports.py",
          f"{L}test_imports_mutants.py {L}test_services_mutants.py {L}test_spreadsheets.py "
          f"{L}test_spreadsheet_preview.py "
          f"{L}test_atomic_mutants.py"),
         ("kompass/lifecycle/services/selection.py",
          f"{L}test_services_mutants.py {L}test_selection_mutants.py {L}test_selection.py {L}test_roles.py "
          f"{P}test_idea_to_measure.py {L}test_atomic_mutants.py"),
         ("kompass/lifecycle/services/lessons.py",
          f"{L}test_lessons_mutants.py {L}test_collaboration.py {L}test_records.py {L}test_api.py "
          f"{L}test_atomic_mutants.py"),
         ("kompass/lifecycle/services/_common.py",
          f"{L}test_selection.py {L}test_spreadsheets.py {L}test_records.py {L}test_process.py "
          f"{L}test_atomic_mutants.py"),
         ("kompass/lifecycle/services/",
          f"{L}test_services_mutants.py {L}test_imports_mutants.py {L}test_records.py {L}test_roles.py "
          f"{L}test_process.py "
          f"{L}test_coordinators.py {L}test_atomic_mutants.py"),
         ("kompass/participation/services/ideas.py",
          f"{P}test_services_mutants.py {P}test_contributions_mutants.py {P}test_ideas.py "
          f"{P}test_idea_to_measure.py {P}test_api.py {P}test_atomic_mutants.py"),
         ("kompass/participation/services/idempotency.py",
          f"{P}test_idempotency.py {P}test_services_mutants.py {P}test_atomic_mutants.py"),
         ("kompass/participation/services/moderation.py",
          f"{P}test_services_mutants.py {P}test_roles_and_moderation.py {P}test_api.py {P}test_atomic_mutants.py"),
         ("kompass/participation/services/ratelimit.py", f"{P}test_roles_and_moderation.py {P}test_api.py"),
         ("kompass/participation/services/consultations.py",
          f"{P}test_services_mutants.py {P}test_consultations.py {P}test_api.py {P}test_atomic_mutants.py"),
         ("kompass/participation/services/notifications.py",
          f"{P}test_services_mutants.py {P}test_contributions_mutants.py {P}test_notifications.py "
          f"{P}test_ideas.py {P}test_atomic_mutants.py"),
         ("kompass/participation/services/privacy.py",
          f"{P}test_citizen_accounts.py {P}test_idea_to_measure.py"),
         ("kompass/participation/services/",
          f"{P}test_services_mutants.py {P}test_contributions_mutants.py {P}test_ideas.py {P}test_api.py "
          f"{P}test_roles_and_moderation.py {P}test_atomic_mutants.py"))),
    "monitoring": Scope(
        ("kompass/monitoring/rules.py", "kompass/monitoring/services", "kompass/monitoring/values.py"),
        (("kompass/monitoring/rules.py", f"{M}test_rules_mutants.py {M}test_decisions.py {M}test_permissions.py "
                                         f"{M}test_status.py"),
         ("kompass/monitoring/services/chains.py", f"{M}test_chains_mutants.py {M}test_all_or_nothing_mutants.py "
                                                   f"{M}test_decisions.py {M}test_permissions.py {M}test_status.py"),
         ("kompass/monitoring/services/targets.py",
          f"{M}test_services_mutants.py {M}test_all_or_nothing_mutants.py {M}test_decisions.py "
          f"{M}test_permissions.py {M}test_status.py"),
         ("kompass/monitoring/services/cycles.py",
          f"{M}test_cycles_mutants.py {M}test_all_or_nothing_mutants.py {M}test_services_mutants.py "
          f"{M}test_decisions.py {M}test_cycles.py"),
         ("kompass/monitoring/services/statuses.py",
          f"{M}test_statuses_mutants.py {M}test_status.py {M}test_seed.py {M}test_cycles.py"),
         ("kompass/monitoring/values.py", f"{M}test_values_mutants.py {M}test_import.py {M}test_permissions.py "
                                          f"{M}test_decisions.py"),
         ("kompass/monitoring/services/reminders.py",
          f"{M}test_services_mutants.py {M}test_all_or_nothing_mutants.py {M}test_coordination.py "
          f"{M}test_import.py {M}test_permissions.py {M}test_decisions.py"),
         ("kompass/monitoring/services/measurements.py", f"{M}test_measurements_mutants.py "
                                                         f"{M}test_all_or_nothing_mutants.py "
                                                         f"{M}test_services_mutants.py {M}test_import.py "
                                                         f"{M}test_decisions.py"),
         ("kompass/monitoring/services/uploads.py", f"{M}test_measurements_mutants.py {M}test_import.py"),
         ("kompass/monitoring/", f"{M}test_services_mutants.py {M}test_measurements_mutants.py {M}test_import.py "
                                 f"{M}test_permissions.py {M}test_decisions.py"))),
}
