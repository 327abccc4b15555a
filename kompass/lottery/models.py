"""The Stadtgremium panel process: a panel, its invitations, respondents (pseudonymous) and their personal data
(kept apart, visible to the lottery officer only, deleted at the retention date)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Panel(models.Model):
    class Stage(models.TextChoices):
        SETUP = "setup", _("setup")
        INVITED = "invited", _("invitations drawn")
        QUOTAS = "quotas", _("quotas set")
        COMPUTING = "computing", _("computing the lottery")
        COMPUTED = "computed", _("lottery computed")
        HASH_PUBLISHED = "hash_published", _("hash published")
        DRAWN = "drawn", _("panel drawn")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("short name (web address)"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    purpose = models.TextField(_("purpose of the data processing"),
                               help_text=_("Purpose of the data processing, shown with the consent."))
    retention_date = models.DateField(_("delete personal data after"),
                                      help_text=_("Personal data are deleted after this date."))
    size = models.PositiveIntegerField(_("number of members"), default=70)
    # {"gender": ["female", "male", "diverse"], ...} in display order
    categories = models.JSONField(_("characteristics"), default=dict, blank=True)
    # {cat: {value: share 0..1}}
    population_shares = models.JSONField(_("shares in the population"), default=dict, blank=True)
    quotas = models.JSONField(_("quotas"), default=dict, blank=True)  # {cat: {value: [min, max]}}
    # {"ok": bool, "message", "conflicts", "relaxation"}
    feasibility = models.JSONField(_("feasibility check"), default=dict, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SETUP)
    algorithm = models.CharField(_("selection method"), max_length=20, default="leximin")
    lottery_panels = models.PositiveIntegerField(_("panels in the lottery"), default=1000)
    invitation_seed = models.CharField(_("seed of the invitation draw"), max_length=200, blank=True)
    invitation_strata = models.JSONField(_("strata of the invitation draw"), default=list, blank=True)
    invitation_source_hash = models.CharField(_("checksum of the register extract"), max_length=64, blank=True)
    register_size = models.PositiveIntegerField(_("people in the register extract"), default=0)
    # the published uniform lottery (pseudonymous)
    lottery = models.JSONField(_("published lottery"), null=True, blank=True)
    list_hash = models.CharField(_("list hash"), max_length=64, blank=True)
    input_hash = models.CharField(_("checksum of the input"), max_length=64, blank=True)
    summary = models.JSONField(_("summary of the result"), default=dict, blank=True)
    # the optimiser's resumable state (column pool + certified levels) when it stopped at the time limit
    solver_state = models.JSONField(_("intermediate state of the calculation"), null=True, blank=True)
    hash_published_at = models.DateTimeField(_("hash published on"), null=True, blank=True)
    seed = models.CharField(_("public seed"), max_length=200, blank=True)
    panel_index = models.IntegerField(_("number of the drawn panel"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(_("personal data deleted on"), null=True, blank=True)
    job = models.ForeignKey("jobs.Job", verbose_name=_("background job"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey("accounts.UserGroup", verbose_name=_("user group"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("citizens' panel")
        verbose_name_plural = _("citizens' panels")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One person drawn from the register extract; the code lets them register through the public form."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(_("invitation code"), max_length=20, unique=True)
    register_id = models.CharField(_("number in the register extract"), max_length=100)
    strata = models.JSONField(_("features from the register"), default=dict)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["panel", "register_id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["panel", "register_id"], name="lottery_invitation_unique")]

    def __str__(self) -> str:
        return self.code


class Respondent(models.Model):
    """A person in the pool, known by a pseudonym and features only; personal data live in PersonalData."""

    class Source(models.TextChoices):
        FORM = "form", _("public form")
        IMPORT = "import", _("registry office file")

    class Status(models.TextChoices):
        POOL = "pool", _("in the pool")
        SELECTED = "selected", _("selected")
        LEFT = "left", _("left the panel")
        REPLACEMENT = "replacement", _("replacement")

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="respondents")
    pseudonym = models.CharField(_("pseudonym"), max_length=20)
    features = models.JSONField(_("features"), default=dict)
    household = models.CharField(_("household (salted hash)"), max_length=64, blank=True)  # salted hash of the address
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    invitation = models.OneToOneField(Invitation, verbose_name=_("invitation"), null=True, blank=True,
                                      on_delete=models.SET_NULL,
                                      related_name="respondent")
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.POOL)
    probability = models.FloatField(_("selection probability"), null=True, blank=True)
    lottery_probability = models.FloatField(_("probability in the lottery"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                             on_delete=models.SET_NULL,
                             related_name="lottery_respondents")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["panel", "pseudonym"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [models.UniqueConstraint(fields=["panel", "pseudonym"], name="lottery_respondent_unique")]

    def __str__(self) -> str:
        return self.pseudonym


class PersonalData(models.Model):
    """Name, contact and address of an invitee or respondent. Deleted at the panel's retention date."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="personal_data")
    invitation = models.OneToOneField(Invitation, verbose_name=_("invitation"), null=True, blank=True,
                                      on_delete=models.CASCADE,
                                      related_name="personal")
    respondent = models.OneToOneField(Respondent, verbose_name=_("respondent"), null=True, blank=True,
                                      on_delete=models.CASCADE,
                                      related_name="personal")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    extra = models.JSONField(_("further details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("personal data")
        verbose_name_plural = _("personal data")

    def __str__(self) -> str:
        return _("personal data #%(id)s") % {"id": self.pk}


class Replacement(models.Model):
    """A member who left and the respondent drawn in their place, with the candidates and the seed."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="replacements")
    left = models.ForeignKey(Respondent, verbose_name=_("member who left"), on_delete=models.CASCADE, related_name="+")
    chosen = models.ForeignKey(Respondent, verbose_name=_("drawn in their place"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    seed = models.CharField(_("seed"), max_length=200)
    candidates = models.JSONField(_("candidates"), default=list)  # pseudonyms that keep every quota
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["panel", "created_at"]
        verbose_name = _("replacement draw")
        verbose_name_plural = _("replacement draws")

    def __str__(self) -> str:
        return f"{self.left} -> {self.chosen or '-'}"
