from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "kompass.lifecycle"
    verbose_name = _("lifecycle")

    def ready(self) -> None:
        from kompass.lifecycle.services import load_process
        from kompass.strategy.sections import register_section_loader

        register_section_loader("process", load_process, sections=("process", "selection_criteria"))
        from kompass.lifecycle.catalogue import PHASE_FILTER
        from kompass.lifecycle.selectors_public import phase_of_measures
        from kompass.measures.filters import register_catalogue_filter, register_item_field

        register_catalogue_filter(PHASE_FILTER)  # the measure catalogue's `phase` filter
        register_item_field("phase", phase_of_measures)  # the phase in every measure list item of the API
        from kompass.measures.pages import register_page_permission

        register_page_permission("lifecycle.view_workspace")  # the team workspace link (_measure_section.html)
        from kompass.accounts.roles import register_team_loader
        from kompass.lifecycle.models import TeamMember
        from kompass.lifecycle.rules import user_teams

        register_team_loader(user_teams, TeamMember)  # team roles memoised per request (ADR 0044)
