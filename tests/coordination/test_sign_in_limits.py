"""Guessing passwords and asking for resets, seen from outside: one account slowed (never locked)
whatever the addresses, one address capped whatever the accounts, the owner told by e-mail,
password reset e-mails limited with the same answer for every address, and two-step sign-in
required of administrators and the secretariat. The clock is moved, never waited for."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coordination.accounts import two_factor
from coordination.models import Role
from tests.coordination.test_two_factor import code_for, enrol
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    """``timezone.now()`` under the test's control."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 50  # the per-pair pause stays out of the way here
    settings.NCM_LOGIN_ACCOUNT_FREE_FAILURES = 3
    settings.NCM_LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 60
    settings.NCM_LOGIN_NOTIFY_AFTER = 100
    settings.NCM_LOGIN_ADDRESS_FAILURE_LIMIT = 100


def _sign_in(client, email, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_guesses_from_many_addresses_are_slowed_per_account(client, secretariat, clock):
    for n in range(3):
        assert _sign_in(client, secretariat.email, "wrong", f"203.0.113.{n}").status_code == 200
    # The fourth try, from yet another address, waits two seconds after the last wrong one:
    # not even the right password is checked meanwhile.
    slowed = _sign_in(client, secretariat.email, PASSWORD, "198.51.100.1")
    assert slowed.status_code == 429
    assert "Try again in 2 seconds" in slowed.content.decode()
    assert "_auth_user_id" not in client.session
    clock.advance(seconds=2)
    assert _sign_in(client, secretariat.email, "wrong", "198.51.100.2").status_code == 200
    # One more wrong password: the wait doubles.
    clock.advance(seconds=3)
    assert "Try again in 1 second." in _sign_in(client, secretariat.email, "x").content.decode()
    clock.advance(seconds=1)
    assert _sign_in(client, secretariat.email, PASSWORD, "198.51.100.3").status_code == 302


def test_the_slowing_is_capped_so_a_stranger_cannot_lock_a_colleague_out(
    client, secretariat, clock
):
    for n in range(40):
        clock.advance(seconds=61)
        assert _sign_in(client, secretariat.email, "wrong", f"203.0.113.{n}").status_code == 200
    clock.advance(seconds=59)
    assert "Try again in 1 second." in _sign_in(client, secretariat.email, "x").content.decode()
    clock.advance(seconds=1)
    # However many wrong guesses a stranger made, the owner waits at most the cap.
    assert _sign_in(client, secretariat.email, PASSWORD).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, secretariat, clock):
    for n in range(3):
        _sign_in(client, secretariat.email, "wrong", f"203.0.113.{n}")
    clock.advance(seconds=2)
    assert _sign_in(client, secretariat.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    clock.advance(seconds=1)
    for n in range(2):
        assert _sign_in(client, secretariat.email, "wrong", f"203.0.113.{n}").status_code == 200
    assert _sign_in(client, secretariat.email, PASSWORD).status_code == 302


def test_one_address_spraying_many_accounts_is_capped(client, member, clock, settings):
    settings.NCM_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(4):
        _sign_in(client, f"guess{n}@ncm.test", "wrong", "203.0.113.50")
    capped = _sign_in(client, member.email, PASSWORD, "203.0.113.50")
    assert capped.status_code == 429
    assert "from your network" in capped.content.decode()
    # Another address is not affected, and the cap lifts after an hour.
    assert _sign_in(client, member.email, PASSWORD, "203.0.113.51").status_code == 302
    client.post(reverse("logout"))
    clock.advance(hours=1, seconds=1)
    assert _sign_in(client, member.email, PASSWORD, "203.0.113.50").status_code == 302


def test_the_owner_is_told_by_email_after_repeated_failures(
    client, settings, clock, django_capture_on_commit_callbacks
):
    settings.NCM_LOGIN_NOTIFY_AFTER = 3
    settings.NCM_LOGIN_ACCOUNT_FREE_FAILURES = 50
    user = UserFactory(email="fp@ncm.test", language="fr", role=Role.FOCAL_POINT)
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            _sign_in(client, user.email, "wrong", f"203.0.113.{n}")
            _sign_in(client, "nobody@ncm.test", "wrong", f"203.0.113.{n}")
    assert [message.to for message in mail.outbox] == [[user.email]]
    message = mail.outbox[0]
    assert "/accounts/password/reset/" in message.body
    assert message.subject.startswith("Portail du MNC")  # in the owner's language, French


def test_password_reset_is_limited_per_account_with_the_same_answer(client, member, clock):
    answers = {
        client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=f"192.0.2.{n}")[
            "Location"
        ]
        for n, address in enumerate([member.email] * 8 + ["nobody@ncm.test"] * 2)
    }
    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3
    clock.advance(hours=1, seconds=1)
    client.post(reverse("password_reset"), {"email": member.email})
    assert len(mail.outbox) == 4


def test_password_reset_is_limited_per_address(client, settings):
    settings.NCM_PASSWORD_RESET_ADDRESS_LIMIT = 2
    users = [UserFactory(email=f"u{n}@ncm.test", role=Role.MEMBER) for n in range(4)]
    for user in users:
        response = client.post(reverse("password_reset"), {"email": user.email})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 2
    client.post(reverse("password_reset"), {"email": users[3].email}, REMOTE_ADDR="192.0.2.99")
    assert len(mail.outbox) == 3


# --- Two-step sign-in required ---------------------------------------------------------------


def test_required_two_step_sends_the_secretariat_to_enrolment_and_nowhere_else(
    client, secretariat, settings
):
    settings.NCM_REQUIRE_TWO_FACTOR = True
    response = _sign_in(client, secretariat.email, PASSWORD)
    assert response.status_code == 302
    for url in (reverse("coordination:dashboard"), reverse("profile"), "/admin/"):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"] == reverse("two-factor-setup")
    assert client.get(reverse("two-factor-setup")).status_code == 200
    key = client.session[two_factor.SETUP_KEY]
    response = client.post(reverse("two-factor-setup"), {"code": code_for(key)})
    assert response["Location"] == reverse("two-factor-backup-codes")
    assert client.get(reverse("two-factor-backup-codes")).status_code == 200
    assert client.get(reverse("coordination:dashboard")).status_code == 200
    # Required: it cannot be turned off, and the page does not offer to.
    status = client.get(reverse("two-factor")).content.decode()
    assert reverse("two-factor-disable") not in status
    client.post(reverse("two-factor-disable"), {"code": code_for(key, steps_ahead=1)})
    assert two_factor.is_enabled(secretariat)


def test_required_two_step_asks_the_enrolled_for_their_code(client, admin_user, settings):
    key, _codes = enrol(client, admin_user)
    settings.NCM_REQUIRE_TWO_FACTOR = True
    assert _sign_in(client, admin_user.email, PASSWORD)["Location"] == reverse("login-code")
    client.post(reverse("login-code"), {"code": code_for(key, steps_ahead=1)})
    assert client.get(reverse("coordination:dashboard")).status_code == 200


def test_a_session_without_the_code_is_signed_out_once_required(client, admin_user, settings):
    enrol(client, admin_user)
    settings.NCM_REQUIRE_TWO_FACTOR = True
    client.force_login(admin_user)
    response = client.get(reverse("coordination:dashboard"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_other_roles_are_not_asked_to_enrol(client, member, settings):
    settings.NCM_REQUIRE_TWO_FACTOR = True
    assert _sign_in(client, member.email, PASSWORD).status_code == 302
    assert client.get(reverse("coordination:dashboard")).status_code == 200


def test_saving_settings_keeps_the_language_cookie_secure(client, member, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    client.force_login(member)
    response = client.post(
        reverse("profile"), {"full_name": "M", "language": "es", "time_zone": ""}
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
