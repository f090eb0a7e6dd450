"""Two-step sign-in for the secretariat and administrators, seen from outside: enrolment under My
settings, the code asked after the password, backup codes, turning it off, and who may use it."""

import re
import time
from binascii import unhexlify

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordination.accounts import two_factor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for this key, now or some 30-second steps ahead."""
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrol(client, user) -> tuple[str, list[str]]:
    """Enrol through the pages as the user would; returns the key and the backup codes shown."""
    client.force_login(user)
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200
    key = client.session[two_factor.SETUP_KEY]
    response = client.post(reverse("two-factor-setup"), {"code": code_for(key)})
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-backup-codes")
    codes_page = client.get(reverse("two-factor-backup-codes")).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page)
    client.logout()
    return key, codes


def sign_in(client, user, password=PASSWORD, next_url=""):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.email, "password": password})


def test_the_enrolment_page_shows_a_server_drawn_qr_code_and_the_key_as_text(client, secretariat):
    client.force_login(secretariat)
    settings_page = client.get(reverse("profile")).content.decode()
    assert reverse("two-factor") in settings_page
    page = client.get(reverse("two-factor-setup"))
    html = page.content.decode()
    key = client.session[two_factor.SETUP_KEY]
    # The QR code is an SVG drawn on the server, embedded as a data: image; nothing external.
    match = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert match
    import base64

    svg = base64.b64decode(match.group(1)).decode()
    assert "<svg" in svg and "<path" in svg and "<script" not in svg and "href" not in svg
    # The same key, in base32 groups of four, for typing by hand.
    secret = base64.b32encode(unhexlify(key)).decode()
    shown = re.search(r'<code class="fs-5 user-select-all">([A-Z2-7 ]+)</code>', html).group(1)
    assert shown.replace(" ", "") == secret
    assert "<script>" not in html and 'style="' not in html
    # Nothing is stored until the code confirms it, and reloading keeps the same key.
    assert not TOTPDevice.objects.filter(user=secretariat).exists()
    client.get(reverse("two-factor-setup"))
    assert client.session[two_factor.SETUP_KEY] == key


def test_a_wrong_confirmation_code_stores_nothing(client, secretariat):
    client.force_login(secretariat)
    client.get(reverse("two-factor-setup"))
    key = client.session[two_factor.SETUP_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two-factor-setup"), {"code": wrong})
    assert response.status_code == 200
    assert "That code does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=secretariat).exists()


def test_enrolment_shows_ten_backup_codes_once(client, secretariat):
    key, codes = enrol(client, secretariat)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=secretariat).confirmed
    client.force_login(secretariat)
    # A second visit does not show them again.
    again = client.get(reverse("two-factor-backup-codes"))
    assert again.status_code == 302 and again["Location"] == reverse("two-factor")
    status = client.get(reverse("two-factor")).content.decode()
    assert "You have 10 backup codes left." in status


def test_sign_in_asks_for_the_code_after_the_password(client, secretariat):
    key, _codes = enrol(client, secretariat)
    response = sign_in(client, secretariat, next_url=reverse("coordination:body-list"))
    assert response.status_code == 302 and response["Location"] == reverse("login-code")
    # Between the password and the code nobody is signed in: the dashboard sends to sign-in.
    assert "_auth_user_id" not in client.session
    dashboard = client.get(reverse("coordination:dashboard"))
    assert dashboard.status_code == 302 and dashboard["Location"].startswith(reverse("login"))
    page = client.get(reverse("login-code"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    # The confirming code was used at enrolment; the app's next one signs in.
    response = client.post(reverse("login-code"), {"code": code_for(key, steps_ahead=1)})
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination:body-list")
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    assert client.get(reverse("coordination:dashboard")).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, secretariat):
    key, _codes = enrol(client, secretariat)
    sign_in(client, secretariat)
    wrong = f"{(int(code_for(key, steps_ahead=1)) + 500_000) % 1_000_000:06d}"
    response = client.post(reverse("login-code"), {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Right after a wrong code the device waits a second before it checks another.
    response = client.post(reverse("login-code"), {"code": code_for(key, steps_ahead=1)})
    assert "Too many wrong codes in a row. Wait" in response.content.decode()
    assert "_auth_user_id" not in client.session
    TOTPDevice.objects.filter(user=secretariat).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    response = client.post(reverse("login-code"), {"code": code_for(key, steps_ahead=1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)


def test_the_same_code_does_not_sign_in_twice(client, secretariat):
    key, _codes = enrol(client, secretariat)
    code = code_for(key, steps_ahead=1)
    sign_in(client, secretariat)
    assert client.post(reverse("login-code"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client, secretariat)
    response = client.post(reverse("login-code"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_against_the_sign_in_throttle(client, secretariat, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only django-axes counts here
    key, _codes = enrol(client, secretariat)
    wrong = f"{(int(code_for(key, steps_ahead=1)) + 500_000) % 1_000_000:06d}"
    sign_in(client, secretariat)
    assert client.post(reverse("login-code"), {"code": wrong}).status_code == 200
    assert client.post(reverse("login-code"), {"code": wrong}).status_code == 200
    paused = client.post(reverse("login-code"), {"code": wrong})
    assert paused.status_code == 429
    assert "two-step code was wrong" in paused.content.decode()
    # The pause holds for the password too, and the code page is gone.
    assert sign_in(client, secretariat).status_code == 429
    assert client.get(reverse("login-code")).status_code == 302


def test_a_backup_code_works_once(client, secretariat):
    _key, codes = enrol(client, secretariat)
    sign_in(client, secretariat)
    response = client.post(reverse("login-code"), {"code": codes[0].upper()}, follow=True)
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    assert "You signed in with a backup code; 9 are left." in response.content.decode()
    assert StaticToken.objects.filter(device__user=secretariat).count() == 9
    client.logout()
    sign_in(client, secretariat)
    response = client.post(reverse("login-code"), {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_without_two_step_the_password_alone_signs_in(client, secretariat):
    response = sign_in(client, secretariat)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    # The code page has nothing to ask for.
    client.logout()
    assert client.get(reverse("login-code"))["Location"] == reverse("login")


def test_the_code_page_expires(client, secretariat, settings):
    key, _codes = enrol(client, secretariat)
    sign_in(client, secretariat)
    session = client.session
    session[two_factor.PENDING_KEY]["at"] -= settings.NCM_OTP_PENDING_SECONDS + 1
    session.save()
    response = client.post(reverse("login-code"), {"code": code_for(key, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_turning_it_off_needs_a_code(client, admin_user):
    key, codes = enrol(client, admin_user)
    client.force_login(admin_user)
    response = client.post(reverse("two-factor-disable"), {"code": "000000"}, follow=True)
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert "That code is not right." in response.content.decode()
    TOTPDevice.objects.filter(user=admin_user).update(throttling_failure_count=0)
    client.post(reverse("two-factor-disable"), {"code": codes[3]})
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert not StaticToken.objects.filter(device__user=admin_user).exists()
    client.logout()
    assert sign_in(client, admin_user).status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_new_backup_codes_replace_the_old(client, secretariat, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    key, old = enrol(client, secretariat)
    client.force_login(secretariat)
    page = client.post(reverse("two-factor-backup-codes"), {"code": code_for(key, steps_ahead=1)})
    new = re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert page["Cache-Control"] == "no-store"
    client.logout()
    sign_in(client, secretariat)
    assert client.post(reverse("login-code"), {"code": old[1]}).status_code == 200
    assert client.post(reverse("login-code"), {"code": new[1]}).status_code == 302


@pytest.mark.parametrize("role", ["member", "viewer", "focal_point"])
def test_other_roles_neither_see_nor_reach_two_step_sign_in(client, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert reverse("two-factor") not in client.get(reverse("profile")).content.decode()
    for name in ("two-factor", "two-factor-setup", "two-factor-backup-codes"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("two-factor-disable")).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()
