"""Limits on guessing passwords and on asking for password resets, on top of django-axes.

django-axes pauses one e-mail address from one client address. Here:

* **one account, many addresses**: after a few wrong passwords since the account last signed in,
  each further attempt must wait 2, 4, 8... seconds after the previous wrong one, up to a cap. The
  account is slowed, never locked: a stranger cannot keep a colleague out for longer than the
  cap, while a guesser spread over many addresses gets only a few hundred tries a day. Its owner
  is told by e-mail once the wrong passwords reach ``NCM_LOGIN_NOTIFY_AFTER``;
* **one address, many accounts**: at most ``NCM_LOGIN_ADDRESS_FAILURE_LIMIT`` wrong passwords
  an hour from one client address, whatever the accounts;
* **password reset**: at most so many e-mails an hour per account and per address; the answer
  is the same whether or not the account exists, and whether or not a message went out.

Every count is read from ``SignInAttempt`` rows stamped with ``timezone.now()``, so the waits
follow the clock (and tests move the clock instead of sleeping).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coordination.models import SignInAttempt, User
from ncm_portal.security import client_ip, username

ACCOUNT_WINDOW = timedelta(days=1)
ADDRESS_WINDOW = timedelta(hours=1)
RESET_WINDOW = timedelta(hours=1)
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in is not even tried now: ``wait`` seconds for the account, or the address."""

    wait_seconds: int = 0
    address_capped: bool = False


def _normal(email: str | None) -> str:
    return str(email or "").strip().lower()


def _account_failures(email: str, now):
    since = now - ACCOUNT_WINDOW
    last_login = (
        User.objects.filter(email__iexact=email).values_list("last_login", flat=True).first()
    )
    if last_login and last_login > since:
        since = last_login
    return SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.FAILED_SIGN_IN, email=email, at__gt=since
    )


def account_delay(failures: int) -> int:
    """Seconds an attempt must wait after the last wrong one, once ``failures`` were wrong."""
    free = settings.NCM_LOGIN_ACCOUNT_FREE_FAILURES
    if failures < free:
        return 0
    return min(2 ** (failures - free + 1), settings.NCM_LOGIN_ACCOUNT_MAX_DELAY_SECONDS)


def refusal(request) -> Refusal | None:
    """Whether a sign-in from this request must not be tried now (and the password not checked)."""
    now = timezone.now()
    address = client_ip(request)
    if address:
        recent = SignInAttempt.objects.filter(
            kind=SignInAttempt.Kind.FAILED_SIGN_IN, ip_address=address, at__gt=now - ADDRESS_WINDOW
        ).count()
        if recent >= settings.NCM_LOGIN_ADDRESS_FAILURE_LIMIT:
            return Refusal(address_capped=True)
    email = _normal(username(request))
    if not email:
        return None
    failures = _account_failures(email, now).aggregate(count=Count("pk"), last=Max("at"))
    delay = account_delay(failures["count"])
    if delay and failures["last"] is not None:
        remaining = (failures["last"] + timedelta(seconds=delay) - now).total_seconds()
        if remaining > 0:
            return Refusal(wait_seconds=math.ceil(remaining))
    return None


def _purge(now) -> None:
    SignInAttempt.objects.filter(at__lt=now - KEEP).delete()


def record_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """A wrong password or two-step code (the ``user_login_failed`` signal)."""
    email = _normal(username(request, credentials or {}) if request is not None else "")
    if not email and request is None:
        return
    now = timezone.now()
    _purge(now)
    SignInAttempt.objects.create(
        kind=SignInAttempt.Kind.FAILED_SIGN_IN,
        email=email[:254],
        ip_address=client_ip(request) if request is not None else None,
        at=now,
    )
    if email and _account_failures(email, now).count() == settings.NCM_LOGIN_NOTIFY_AFTER:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is not None:
            transaction.on_commit(lambda: tell_owner(user.pk))


def tell_owner(user_id: int) -> int:
    """Tell an account's owner that its password was entered wrong several times."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    context = {
        "user": user,
        "count": settings.NCM_LOGIN_NOTIFY_AFTER,
        "reset_url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("password_reset"),
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("coordination/email/sign_in_failures_subject.txt", context)
        body = render_to_string("coordination/email/sign_in_failures.txt", context)
    EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email]).send()
    return 1


def password_reset_allowed(request, email: str) -> bool:
    """Whether a reset e-mail may go out for this address now; counts it when it may."""
    now = timezone.now()
    email = _normal(email)
    address = client_ip(request)
    recent = SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.PASSWORD_RESET, at__gt=now - RESET_WINDOW
    )
    if recent.filter(email=email).count() >= settings.NCM_PASSWORD_RESET_ACCOUNT_LIMIT:
        return False
    if address and (
        recent.filter(ip_address=address).count() >= settings.NCM_PASSWORD_RESET_ADDRESS_LIMIT
    ):
        return False
    _purge(now)
    SignInAttempt.objects.create(
        kind=SignInAttempt.Kind.PASSWORD_RESET, email=email[:254], ip_address=address, at=now
    )
    return True
