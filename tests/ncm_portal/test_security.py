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
    # No proxy trusted: X-Forwarded-For is the client's own words and is ignored.
    settings.AXES_FAILURE_LIMIT = 2
    for n in range(2):
        _sign_in(client, secretariat.email, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _sign_in(client, secretariat.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_a_forged_header_from_an_untrusted_address_is_ignored(client, secretariat, settings):
    # Proxies are configured, but this connection does not come from one of them: rotating
    # forged addresses still count as one client.
    settings.AXES_FAILURE_LIMIT = 3
    settings.NCM_TRUSTED_PROXIES = ["10.20.0.0/16"]
    settings.NCM_CLIENT_IP_HEADER = "X-Forwarded-For"  # as the deployment guide sets it
    for n in range(3):
        _sign_in(
            client,
            secretariat.email,
            "wrong",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            REMOTE_ADDR="198.51.100.9",
        )
    response = _sign_in(
        client,
        secretariat.email,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="203.0.113.99",
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_configured_proxy_each_client_counts_apart(client, secretariat, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.NCM_TRUSTED_PROXIES = ["10.20.0.0/16"]
    proxy = {"REMOTE_ADDR": "10.20.0.5"}
    for _ in range(2):
        _sign_in(client, secretariat.email, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    blocked = _sign_in(
        client, secretariat.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
    )
    assert blocked.status_code == 429
    other = _sign_in(
        client, secretariat.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy
    )
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
    ("proxies", "remote", "forwarded", "expected"),
    [
        # Nothing trusted: the connection's own address, whatever the header says.
        ([], "192.0.2.1", "1.1.1.1", "192.0.2.1"),
        # A direct connection from outside the trusted networks: the header is the client's own.
        (["10.0.0.0/8"], "192.0.2.1", "6.6.6.6", "192.0.2.1"),
        # From the proxy: the right-most address the proxy did not add itself.
        (["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        # Two proxies of our own: both skipped, anything the client wrote further left ignored.
        (["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3", "203.0.113.7"),
        (["10.0.0.2", "2001:db8::/32"], "2001:db8::1", "203.0.113.7", "203.0.113.7"),
        # Garbage or nothing from the proxy: its own address, never a guess.
        (["10.0.0.0/8"], "10.0.0.2", "not-an-address", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_address_is_read_from_the_header_only_on_trusted_connections(
    settings, proxies, remote, forwarded, expected
):
    settings.NCM_TRUSTED_PROXIES = proxies
    settings.NCM_CLIENT_IP_HEADER = "X-Forwarded-For"
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_web_port_is_published_only_on_loopback():
    from pathlib import Path

    from django.conf import settings as django_settings

    compose = (Path(django_settings.BASE_DIR) / "docker-compose.yml").read_text()
    ports = [line.strip() for line in compose.splitlines() if ":8000:8000" in line]
    assert ports == ['- "${NCM_WEB_BIND:-127.0.0.1}:8000:8000"']
    assert '"8000:8000"' not in compose


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
