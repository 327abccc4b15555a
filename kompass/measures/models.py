from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.core.models import LocalizedMixin
from kompass.core.plausible import check_date, check_order

STRENGTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3)]


class Measure(LocalizedMixin, models.Model):
    """A Maßnahme of the strategy. German texts are required, English and Leichte Sprache are optional."""

    class Type(models.TextChoices):
        CENTRAL = "central", _("central measure")
        DECENTRAL = "decentral", _("decentral measure")
        NETWORK = "network", _("network measure")

    class Status(models.TextChoices):
        PLANNED = "planned", _("in planning")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="measures")
    slug = models.SlugField(_("short name (web address)"), max_length=120)
    measure_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    title_ls = models.CharField(_("title (Leichte Sprache)"), max_length=250, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ls = models.TextField(_("summary (Leichte Sprache)"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ls = models.TextField(_("description (Leichte Sprache)"), blank=True)
    responsible_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="responsible_for",
        verbose_name=_("responsible organisation"),
    )
    involved_organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="involved_in",
        verbose_name=_("involved organisations"),
    )
    districts = models.ManyToManyField("strategy.District", blank=True, related_name="measures",
                                       verbose_name=_("districts"))
    action_fields = models.ManyToManyField("strategy.ActionField", blank=True, related_name="measures",
                                           verbose_name=_("action fields"))
    values = models.ManyToManyField("strategy.Value", verbose_name=_("values (Leitgedanken)"), through="MeasureValue",
                                    blank=True, related_name="measures")
    perspectives = models.ManyToManyField(
        "strategy.FuturePerspective", through="MeasurePerspective", blank=True, related_name="measures",
        verbose_name=_("future perspectives"),
    )
    spatial_level = models.ForeignKey("strategy.SpatialLevel", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="measures", verbose_name=_("spatial level"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_pilot = models.BooleanField(_("pilot measure"), default=False)
    participation = models.TextField(_("participation"), blank=True)
    participation_en = models.TextField(_("participation (English)"), blank=True)
    impact = models.TextField(_("intended impact"), blank=True)
    impact_en = models.TextField(_("intended impact (English)"), blank=True)
    contact_role = models.CharField(_("contact (role)"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email (role address)"), blank=True)
    contact_url = models.URLField(_("contact web page"), blank=True)
    is_example = models.BooleanField(
        _("illustrative example"), default=False,
        help_text=_("Marks records that illustrate the platform and are not real measures."),
    )
    search_document = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [models.UniqueConstraint(fields=["strategy", "slug"], name="unique_measure_slug")]
        indexes = [
            models.Index(fields=["strategy", "title"]),
            models.Index(fields=["strategy", "status"]),
            models.Index(fields=["strategy", "measure_type"]),
            models.Index(fields=["strategy", "-start_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        check_date("start_date", self.start_date)
        check_date("end_date", self.end_date)
        check_order("start_date", self.start_date, "end_date", self.end_date)

    @property
    def period_label(self) -> str:
        start = self.start_date.year if self.start_date else None
        end = self.end_date.year if self.end_date else None
        if start and end:
            return f"{start}–{end}" if start != end else str(start)
        if start:
            return f"{_('since')} {start}"
        if end:
            return f"{_('until')} {end}"
        return ""


class MeasureValue(models.Model):
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE,
                                related_name="value_links")
    value = models.ForeignKey("strategy.Value", verbose_name=_("value (Leitgedanke)"), on_delete=models.CASCADE,
                              related_name="measure_links")
    strength = models.PositiveSmallIntegerField(_("strength (1–3)"), default=1, validators=STRENGTH_VALIDATORS)

    class Meta:
        verbose_name = _("contribution to a value")
        verbose_name_plural = _("contributions to values")
        constraints = [
            models.UniqueConstraint(fields=["measure", "value"], name="unique_measure_value"),
            models.CheckConstraint(condition=models.Q(strength__gte=1, strength__lte=3),
                                   name="measure_value_strength_1_3"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.value_id} ({self.strength})"


class MeasurePerspective(models.Model):
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE,
                                related_name="perspective_links")
    perspective = models.ForeignKey("strategy.FuturePerspective", verbose_name=_("future perspective"),
                                    on_delete=models.CASCADE, related_name="measure_links")
    strength = models.PositiveSmallIntegerField(_("strength (1–3)"), default=1, validators=STRENGTH_VALIDATORS)

    class Meta:
        verbose_name = _("contribution to a future perspective")
        verbose_name_plural = _("contributions to future perspectives")
        constraints = [
            models.UniqueConstraint(fields=["measure", "perspective"], name="unique_measure_perspective"),
            models.CheckConstraint(condition=models.Q(strength__gte=1, strength__lte=3),
                                   name="measure_perspective_strength_1_3"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.perspective_id} ({self.strength})"
