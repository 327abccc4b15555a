"""The strategy framework as data: a strategy, its values compass, perspectives, principles, action fields,
spatial levels and districts. Everything hangs off one `Strategy`; several may coexist, one is current."""

from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from kompass.core.models import LocalizedMixin, NamedFrameworkItem, framework_meta


class Strategy(LocalizedMixin, models.Model):
    slug = models.SlugField(_("short name (web address)"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=120)
    version = models.CharField(_("version"), max_length=40, help_text=_("Version label, e.g. the year of adoption."))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    is_current = models.BooleanField(_("current strategy"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source_url = models.URLField(_("source (web address)"), blank=True)
    data_licence = models.CharField(_("data licence"), max_length=200, blank=True)
    data_licence_url = models.URLField(_("data licence (web address)"), blank=True)
    map_attribution = models.TextField(_("map credits"), blank=True)
    # Legal pages (Impressum, privacy, accessibility statement): see kompass/portal/legal.py for the keys.
    legal = models.JSONField(_("legal pages (imprint, privacy, accessibility)"), default=dict, blank=True,
                             db_default=Value({}, models.JSONField()))
    theme_colour = models.CharField(_("brand colour"), max_length=7, blank=True, db_default="",
                                    help_text=_("The strategy's own brand colour (#rrggbb); empty keeps KERN's."))
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-is_current", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_strategy")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Value(NamedFrameworkItem):
    """A Leitgedanke of the values compass."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="values")
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)

    Meta = framework_meta(_("value (Leitgedanke)"), _("values (Leitgedanken)"), "unique_value_slug")


class FuturePerspective(NamedFrameworkItem):
    class Kind(models.TextChoices):
        SPATIAL = "spatial", _("spatial")
        CAPABILITY = "capability", _("capability")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="perspectives")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    Meta = framework_meta(_("future perspective"), _("future perspectives"), "unique_perspective_slug")


class PrincipleGroup(NamedFrameworkItem):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="principle_groups")

    Meta = framework_meta(_("principle group"), _("principle groups"), "unique_principle_group_slug")


class Principle(NamedFrameworkItem):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="principles")
    group = models.ForeignKey(PrincipleGroup, verbose_name=_("principle group"), on_delete=models.CASCADE,
                              related_name="principles")

    Meta = framework_meta(_("principle"), _("principles"), "unique_principle_slug")


class ActionFieldCluster(NamedFrameworkItem):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="clusters")

    Meta = framework_meta(_("action field cluster"), _("action field clusters"), "unique_cluster_slug")


class ActionField(NamedFrameworkItem):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="action_fields")
    cluster = models.ForeignKey(ActionFieldCluster, verbose_name=_("action field cluster"), on_delete=models.CASCADE,
                                related_name="action_fields")

    Meta = framework_meta(_("action field"), _("action fields"), "unique_action_field_slug")


class SpatialLevel(NamedFrameworkItem):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="spatial_levels")

    Meta = framework_meta(_("spatial level"), _("spatial levels"), "unique_spatial_level_slug")


class District(NamedFrameworkItem):
    """A district of the city, or the pseudo-district for city-wide measures."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        CITYWIDE = "citywide", _("city-wide")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="districts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    official_key = models.CharField(_("official key"), max_length=40, blank=True)
    geometry = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True,
                                help_text=_("Simplified GeoJSON geometry (WGS84)."))

    Meta = framework_meta(_("district"), _("districts"), "unique_district_slug")
