"""Login throttling and the Content Security Policy, seen from outside."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ncm_portal.security import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password, **headers):
    return client.post(reverse("login"), {"username": email, "password": password}, **headers)


def test_wrong_passwords_pause_sign_in_for_that_address_and_say_why(client, secretariat, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _sign_in(client, secretariat.email, "wrong").status_code == 200
    # The third wrong password pauses; from then on even the right one is refused.
    assert _sign_in(client, secretariat.email, "wrong").status_code == 429
    response = _sign_in(client, secretariat.email.upper(), PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "signing in is paused" in page
    assert "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_pause_is_in_the_visitors_language(client, secretariat, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    _sign_in(client, secretariat.email, "wrong")
    response = _sign_in(client, secretariat.email, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "signing in is paused" not in page


def test_others_on_the_same_network_still_sign_in(client, secretariat, member, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _sign_in(client, secretariat.email, "wrong")
    assert _sign_in(client, member.email, PASSWORD).status_code == 302


def test_a_forged_forwarded_header_does_not_dodge_the_pause(client, secretariat, settings):
    # No proxy configured: X-Forwarded-For is the client's own words and is ignored.
    settings.AXES_FAILURE_LIMIT = 2
    for n in range(2):
        _sign_in(client, secretariat.email, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _sign_in(client, secretariat.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_a_configured_proxy_each_client_counts_apart(client, secretariat, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.NCM_CLIENT_IP_HEADER = "X-Forwarded-For"
    for _ in range(2):
        _sign_in(client, secretariat.email, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = _sign_in(client, secretariat.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert blocked.status_code == 429
    other = _sign_in(client, secretariat.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302


def test_success_clears_the_count(client, secretariat, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        _sign_in(client, secretariat.email, "wrong")
    assert _sign_in(client, secretariat.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        _sign_in(client, secretariat.email, "wrong")
    assert _sign_in(client, secretariat.email, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "1.1.1.1", "192.0.2.1"),
        ("X-Forwarded-For", 1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        ("X-Forwarded-For", 2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        ("X-Forwarded-For", 2, "203.0.113.7", "192.0.2.1"),
        ("X-Forwarded-For", 1, "not-an-address", "192.0.2.1"),
        ("X-Real-IP", 1, "", "192.0.2.1"),
    ],
)
def test_client_address_comes_only_from_the_configured_header(
    settings, header, count, forwarded, expected
):
    settings.NCM_CLIENT_IP_HEADER = header
    settings.NCM_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_every_page_forbids_inline_script_and_other_sites(client, secretariat):
    client.force_login(secretariat)
    for url in (reverse("login"), reverse("coordination:dashboard")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_attempts_are_counted_against_the_address_typed(client, secretariat):
    from axes.models import AccessAttempt

    _sign_in(client, "Secretariat@NCM.test ", "wrong")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "secretariat@ncm.test"
    ]
