from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.core.i18n import localized


class LocalizedMixin:
    """Gives models with `<field>` / `<field>_en` pairs a `tr(field)` accessor for templates and the API."""

    def tr(self, field: str) -> str:
        return localized(self, field)

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class NamedFrameworkItem(LocalizedMixin, models.Model):
    """Base for framework items of a strategy: ordered, slugged, named and described in German and English."""

    slug = models.SlugField(_("short name (web address)"), max_length=80)
    position = models.PositiveIntegerField(_("sort order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


def framework_meta(verbose_name, verbose_name_plural, unique_slug: str) -> type:
    """The Meta of a concrete framework item: its verbose names and the constraint `unique_slug` that makes the slug
    unique per strategy (the model declares its own `strategy` foreign key)."""
    return type("Meta", (NamedFrameworkItem.Meta,), {
        "verbose_name": verbose_name, "verbose_name_plural": verbose_name_plural,
        "constraints": [models.UniqueConstraint(fields=["strategy", "slug"], name=unique_slug)]})


class RateCounter(models.Model):
    """One fixed-window counter of the shared rate limiter (kompass.core.ratelimit) when the cache is not Redis.

    Incremented with a single UPDATE … SET count = count + 1, so concurrent workers never lose a count."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
