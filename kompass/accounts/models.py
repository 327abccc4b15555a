from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class KompassUserManager(UserManager):
    """Users log in with their email address; `username` is not used."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Personal data is kept to the email address and an optional display name."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(_("language"), max_length=8, default="de",
                                choices=[("de", "Deutsch"), ("en", "English")])
    is_strategy_office = models.BooleanField(
        _("strategy office"), default=False,
        help_text=_("Members of the strategy office edit the whole strategy in the back office."),
    )

    is_cdo = models.BooleanField(
        _("Chief Digital Officer"), default=False,
        help_text=_("Decides which candidates become measures of the strategy."),
    )
    is_reviewer = models.BooleanField(
        _("reviewer"), default=False, help_text=_("Qualifies and assesses candidate measures."),
    )
    is_moderator = models.BooleanField(_("moderator"), default=False,
                                       help_text=_("Moderates contributions of the public."))
    is_lottery_officer = models.BooleanField(
        _("lottery officer"), default=False,
        help_text=_("Runs citizens' panel lotteries and alone sees respondents' personal data."),
    )

    class Digest(models.TextChoices):
        NONE = "none", _("no emails")
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    is_blocked = models.BooleanField(_("blocked"), default=False,
                                     help_text=_("A blocked account cannot post, comment, support or vote."))
    blocked_reason = models.CharField(_("reason for the block"), max_length=300, blank=True)
    email_digest = models.CharField(_("email digest"), max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    notify_in_app = models.BooleanField(_("notifications on the site"), default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = KompassUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        """The name shown next to public contributions: never the email address."""
        return self.display_name or _("participant #%(id)s") % {"id": self.pk}

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.is_superuser

    @property
    def blocked_notice(self) -> str:
        """What a blocked person is told when they log in or try to write: that, why, and what they still can."""
        return blocked_message(self)


def blocked_message(user) -> str:
    from django.utils.translation import gettext as _

    if user.blocked_reason:
        text = _("Your account is blocked by the moderation. Reason: %(reason)s.") % {"reason": user.blocked_reason}
    else:
        text = _("Your account is blocked by the moderation.")
    return text + " " + _("You can still read everything, but you cannot post, comment, support or vote. "
                          "If you think this is a mistake, write to the moderation via the contact in the imprint.")


class Membership(models.Model):
    """A user's membership in an organisation, with a role that decides what they may edit."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"


class UserGroup(models.Model):
    """A named group of users, e.g. a board (Strategieboard, Strategiebeirat) or a citizens' panel."""

    class Kind(models.TextChoices):
        BOARD = "board", _("board")
        PANEL = "panel", _("citizens' panel")
        TEAM = "team", _("team")
        OTHER = "other", _("other")

    slug = models.SlugField(_("short name (web address)"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(User, verbose_name=_("members"), blank=True, related_name="user_groups")

    class Meta:
        ordering = ["name"]
        verbose_name = _("user group")
        verbose_name_plural = _("user groups")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("hash of the key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
