from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kompass.portal"
    verbose_name = _("Public portal")

    def ready(self):
        from kompass.core import fragments
        from kompass.portal.templatetags.kompass import frame_facts

        fragments.register_frame_source(frame_facts)  # whole logged-in pages shared per frame facts (ADR 0083)
