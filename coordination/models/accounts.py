from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The portal's roles. Each is a group of the same name; the first that applies wins."""

    ADMINISTRATOR = "administrator", _("Administrator")
    SECRETARIAT = "secretariat", _("Secretariat")
    FOCAL_POINT = "focal_point", _("Focal point")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


# Group names as stored in the database (kept in English; shown through Role labels).
ROLE_GROUPS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.SECRETARIAT: "Secretariat",
    Role.FOCAL_POINT: "Focal point",
    Role.MEMBER: "Member",
    Role.VIEWER: "Viewer",
}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Dates are shown in this time zone, for example Africa/Dakar."),
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can sign in to the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role(self) -> Role:
        """The user's main role, which decides the dashboard they land on."""
        if self.is_superuser:
            return Role.ADMINISTRATOR
        names = self._role_group_names()
        for role, group in ROLE_GROUPS.items():
            if group in names:
                return role
        return Role.VIEWER

    @property
    def has_role(self) -> bool:
        """Belongs to one of the role groups (a superuser counts as an administrator); an
        account given no role yet has only the ``Viewer`` dashboard, and none of its rights."""
        if self.is_superuser:
            return True
        return bool(self._role_group_names() & set(ROLE_GROUPS.values()))

    def _role_group_names(self) -> set[str]:
        if not hasattr(self, "_group_names"):
            self._group_names = set(self.groups.values_list("name", flat=True))
        return self._group_names


class SignInAttempt(models.Model):
    """A refused password or an asked-for password reset, kept for a day: what the portal counts
    to slow guesses at one account and to cap what one address may try across accounts."""

    class Kind(models.TextChoices):
        FAILED_SIGN_IN = "failed_sign_in", _("Failed sign-in")
        PASSWORD_RESET = "password_reset", _("Password reset asked")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.CharField(_("e-mail address typed"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [
            models.Index(fields=["kind", "email", "at"], name="signin_attempt_account"),
            models.Index(fields=["kind", "ip_address", "at"], name="signin_attempt_address"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.email} {self.ip_address} {self.at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An invitation to sign in, sent from the person's page by the secretariat. Its link lets
    the person set a password once, within ``settings.INVITATION_DAYS``; sending it again or
    revoking it voids the links sent before."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    times_sent = models.PositiveSmallIntegerField(default=1)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation to sign in")
        verbose_name_plural = _("invitations to sign in")

    def __str__(self) -> str:
        return f"{self.user} invited {self.sent_at:%Y-%m-%d}"

    @property
    def pending(self) -> bool:
        return self.revoked_at is None and self.accepted_at is None

    def expires_at(self):
        import datetime

        return self.sent_at + datetime.timedelta(days=settings.INVITATION_DAYS)
