"""Two-step sign-in for the secretariat and administrators, on django-otp.

A person enrols an authenticator app (a TOTP device) from *My settings*: the secret is kept in
their session until they confirm it with a code, and only then stored, with ten backup codes (a
static device, each code good once). Once enrolled, the sign-in page checks the password, keeps
who signed in as *pending* in the still anonymous session, and asks for a code; only a right
code signs them in. Nothing of the portal is reachable in between.
"""

from __future__ import annotations

import base64
import io
import time
from binascii import unhexlify
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from coordination.models import Role, User

BACKUP_CODE_COUNT = 10
PENDING_KEY = "ncm_two_factor_pending"
SETUP_KEY = "ncm_two_factor_setup_key"
NEW_CODES_KEY = "ncm_two_factor_new_codes"


def may_use(user) -> bool:
    """Only the secretariat and administrators are offered two-step sign-in."""
    return bool(user.is_authenticated) and user.role in (Role.ADMINISTRATOR, Role.SECRETARIAT)


def is_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user) -> bool:
    """Administrators and the secretariat must use two-step sign-in when the deployment says so
    (``NCM_REQUIRE_TWO_FACTOR``, on unless debugging)."""
    return bool(getattr(settings, "NCM_REQUIRE_TWO_FACTOR", False)) and may_use(user)


def device_of(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()


# --- Enrolment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    key: str  # hex, as django-otp stores it
    secret: str  # base32, for typing into the app by hand
    config_url: str
    qr_svg: str  # a data: URL of the QR code as SVG


def _secret(key: str) -> str:
    raw = base64.b32encode(unhexlify(key)).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_data_url(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def setup_for(request) -> Setup:
    """The secret offered on the enrolment page, kept in the session (not yet in the database)."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY] = key
    device = TOTPDevice(user=request.user, key=key, name="Authenticator app")
    url = device.config_url
    return Setup(key=key, secret=_secret(key), config_url=url, qr_svg=_qr_data_url(url))


def _totp_step(key: str, code: str) -> int | None:
    """The time step a code belongs to, within one step of now, or None."""
    code = _clean(code)
    if not code.isdigit():
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def enrol(*, user: User, key: str, code: str) -> list[str]:
    """Store the authenticator once a code from it is right; returns new backup codes."""
    if not may_use(user):
        raise ValidationError(_("Two-step sign-in is for the secretariat and administrators."))
    if is_enabled(user):
        raise ValidationError(_("Two-step sign-in is already on."), code="enabled")
    step = _totp_step(key, code)
    if step is None:
        raise ValidationError(
            _(
                "That code does not match. Enter the six digits the app shows now; if the "
                "code changes as you type, wait for the next one."
            ),
            code="wrong_code",
        )
    TOTPDevice.objects.filter(user=user).delete()
    # The confirming code may not be used again to sign in.
    TOTPDevice.objects.create(
        user=user, key=key, name="Authenticator app", confirmed=True, last_t=step
    )
    return renew_backup_codes(user=user)


@transaction.atomic
def renew_backup_codes(*, user: User) -> list[str]:
    """Ten new backup codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Checking a code ---------------------------------------------------------------------------


class CodeRefused(Exception):
    def __init__(self, message, *, wait: int = 0):
        super().__init__(message)
        self.message = message
        self.wait = wait


def verify(*, user: User, code: str):
    """The device that accepts the code: six digits go to the authenticator app, anything else is
    taken as a backup code (used up once accepted). Raises CodeRefused with the reason otherwise;
    each wrong code is counted on the device, which then waits 1, 2, 4... seconds."""
    device, wait = _verify(user, _clean(code))
    if device is not None:
        return device
    if wait:
        raise CodeRefused(
            _(
                "Too many wrong codes in a row. Wait %(seconds)s seconds, then enter the code the "
                "app shows."
            )
            % {"seconds": wait},
            wait=wait,
        )
    raise CodeRefused(
        _(
            "That code is not right. Enter the six digits your authenticator app shows now, or "
            "one of your backup codes."
        )
    )


@transaction.atomic
def _verify(user: User, code: str):
    """(device, 0) when accepted, (None, seconds to wait) or (None, 0) when not; the failure
    counts are saved with the transaction."""
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
    waits = []
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            until = (details or {}).get("locked_until")
            waits.append(max(1, int((until - _now()).total_seconds()) + 1) if until else 1)
            continue
        if code and device.verify_token(code):
            return device, 0
    return None, (min(waits) if waits and len(waits) == len(devices) else 0)


def _now():
    from django.utils import timezone

    return timezone.now()


# --- The pending sign-in, between the password and the code ---------------------------------


def pending_start(request, user: User, *, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[1]),
        "next": next_url,
        "at": time.time(),
    }


def pending(request) -> tuple[User, str, str] | None:
    """(user, backend, next) while a sign-in waits for its code, or None."""
    state = request.session.get(PENDING_KEY)
    if not state:
        return None
    if time.time() - state.get("at", 0) > settings.NCM_OTP_PENDING_SECONDS:
        pending_clear(request)
        return None
    user = User.objects.filter(pk=state.get("user"), is_active=True).first()
    if user is None:
        pending_clear(request)
        return None
    return user, state["backend"], state["next"]


def pending_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)


# --- Required enrolment ---------------------------------------------------------------------

# What a person who must enrol may still open: enrolment itself, signing out, the language.
ENROLMENT_URL_NAMES = (
    "two-factor",
    "two-factor-setup",
    "two-factor-backup-codes",
    "logout",
    "set_language",
)


class RequireTwoFactorMiddleware:
    """While two-step sign-in is required (``NCM_REQUIRE_TWO_FACTOR``), an administrator or a
    member of the secretariat whose session has not shown a code reaches nothing but enrolment:
    right after the password they are taken to it. Someone already enrolled whose session lacks
    the code (signed in before enrolling elsewhere) signs in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "NCM_REQUIRE_TWO_FACTOR", False):
            refused = self._refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.urls import Resolver404, resolve
        from django_otp import DEVICE_ID_SESSION_KEY

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not may_use(user):
            return None
        if request.session.get(DEVICE_ID_SESSION_KEY):
            return None
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if is_enabled(user):
            logout(request)
            messages.info(request, _("Sign in again, with a code from your authenticator app."))
            return redirect("login")
        if name in ENROLMENT_URL_NAMES:
            return None
        messages.warning(
            request,
            _(
                "Your role requires two-step sign-in. Turn it on to continue: the portal opens "
                "once it is done."
            ),
        )
        return redirect("two-factor-setup")
