from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "kompass.participation"
    verbose_name = _("participation")

    def ready(self):
        from kompass.accounts import services as account_services
        from kompass.lifecycle.signals import candidate_decided
        from kompass.lifecycle.sources import register_source_kind
        from kompass.participation import selectors, services
        from kompass.strategy.figures import register_figure

        account_services.PERSONAL_DATA_PROVIDERS["participation"] = selectors.personal_data
        if services.anonymise_contributions not in account_services.ACCOUNT_DELETE_HOOKS:
            account_services.ACCOUNT_DELETE_HOOKS.append(services.anonymise_contributions)
        # Participation is the higher layer: it plugs into lifecycle's selection, lifecycle never imports it.
        register_source_kind(services.IDEA_SOURCE, url=services.idea_url)
        register_figure("participation_reach", selectors.participation_reach)  # read by monitoring's dashboard
        candidate_decided.connect(services.on_candidate_decided, dispatch_uid="participation.idea_decided")
