"""Every page needs a signed-in user, except sign-in, password reset, health and static."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "login-code",  # the second step of signing in; nobody is signed in until it passes
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation-accept",  # the link of an invitation to sign in sets the first password
    "healthz",
    "set_language",
    "calendar-feed",  # a secret token in the address stands in for the session
    "calendar-public",
    # Systems of member institutions push files with an API key instead of a session.
    "inventories:api-push",
    "inventories:api-version",
    "inventories:api-openapi",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}"


def _example_path(route: str) -> str:
    """Turn a route into a concrete path: converters get sample values."""
    path = route.lstrip("^").rstrip("$").replace("\\Z", "")
    path = re.sub(r"<int:\w+>|<\w+>|\(\?P<\w+>[^)]*\)", "1", path)
    path = re.sub(r"<path:\w+>", "x/y", path)
    path = re.sub(r"<slug:\w+>|<str:\w+>", "x", path)
    path = path.replace("\\", "")
    return "/" + path


ALL_ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_sees_the_whole_portal():
    names = {name for _, name in ALL_ROUTES}
    assert {"coordination:dashboard", "coordination:designation-end", "login", "healthz"} <= names
    assert len(ALL_ROUTES) > 40  # registry pages, auth pages and the admin


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ALL_ROUTES)
def test_anonymous_is_sent_to_sign_in(client, route, name):
    path = _example_path(route)
    if name in PUBLIC:
        response = client.get(path)
        # Not the sign-in wall (which always carries ?next=); the code page of two-step sign-in
        # may send back to the sign-in page itself when no sign-in waits for a code.
        assert response.status_code != 302 or "/accounts/login/?next=" not in response["Location"]
        return
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, f"{path} answered {response.status_code}"
        location = response["Location"]
        # The admin sends people to the portal's sign-in page too, through its own login URL.
        if location.startswith("/admin/login/"):
            location = client.get(location)["Location"]
        assert location.startswith("/accounts/login/?next="), f"{path} -> {location}"
