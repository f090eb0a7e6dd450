"""Every form of the portal, submitted once with valid data and once with invalid data, answers
without a server error: a form whose ``clean`` or service call breaks cannot land unnoticed.

The pages are those of the permission matrix (``permission_matrix.py``), opened by the first role
that may open them, on the matrix's data set. Each page's POST forms are read from its HTML and
sent back twice: empty (invalid), then with what the page offers filled in the way a person
would (the values shown, the first choice of each list, a date a month ahead, a number, a small
file of the kind the field accepts). A form may well refuse the second submission for a
business reason (a date already taken, a state that does not allow it); what it may not do is
answer 500.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve
from django.utils import timezone

# The data set and the helpers that fill URLs come from the permission matrix: the same world.
from tests.ncm_portal.permission_matrix import MATRIX
from tests.ncm_portal.test_permission_matrix import (  # noqa: F401 - fixtures used by name
    _media_and_mail,
    url_of,
    world,
)

ROLES_IN_ORDER = ("administrator", "secretariat", "focal_point", "member", "viewer")
# Forms every page carries (the header's sign-out and language switch): not the page's own.
NOT_THE_PAGES_OWN = {"logout", "set_language"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
CSV = b"hs_code,description,quantity\n3824.99,Mixtures,1\n"


def _pages():
    for name, methods in MATRIX.items():
        row = methods.get("GET", {})
        role = next((r for r in ROLES_IN_ORDER if row.get(r) == 200), None)
        if role is not None and "POST" not in methods:
            yield pytest.param(name, role, id=name)


class FormReader(HTMLParser):
    """The POST forms of a page: their action and fields, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action") or "", "fields": [], "files": []}
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind == "file":
                form["files"].append((name, a.get("accept") or ""))
                return
            form["fields"].append(
                {
                    "name": name,
                    "kind": kind,
                    "value": a.get("value"),
                    "checked": "checked" in a,
                    "required": "required" in a,
                    "min": a.get("min"),
                }
            )
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "kind": "select",
                "options": [],
                "selected": [],
                "multiple": "multiple" in a,
                "required": "required" in a,
            }
            form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["selected"].append(value)
        elif tag == "textarea" and name:
            self._textarea = {
                "name": name,
                "kind": "textarea",
                "value": "",
                "required": "required" in a,
            }
            form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _filled(field) -> list[str] | None:
    """What a person would send for one field; None to leave it out."""
    ahead = timezone.localdate() + datetime.timedelta(days=30)
    kind = field["kind"]
    if kind == "select":
        if field["selected"]:
            return field["selected"]
        choices = [o for o in field["options"] if o]
        return choices[:1] or None
    if kind in ("checkbox", "radio"):
        return [field["value"] or "on"] if field["checked"] else None
    value = field.get("value")
    if value:
        return [value]
    return [
        {
            "date": ahead.isoformat(),
            "datetime-local": f"{ahead.isoformat()}T10:00",
            "time": "10:00",
            "number": field.get("min") or "1",
            "email": "someone@example.org",
            "url": "https://example.org/",
            "hidden": "",
            "password": "a-long-password-2026",
        }.get(kind, "Filled in by the form test")
    ]


def _valid_data(form) -> dict:
    data = {}
    radios_done = set()
    for field in form["fields"]:
        if field["kind"] == "radio" and field["name"] in radios_done:
            continue
        values = _filled(field)
        if values is None:
            continue
        if field["kind"] == "radio":
            radios_done.add(field["name"])
        data.setdefault(field["name"], []).extend(values)
    # Radio groups with nothing checked: the first choice.
    for field in form["fields"]:
        if field["kind"] == "radio" and field["name"] not in data:
            data[field["name"]] = [field["value"] or "on"]
    for name, accept in form["files"]:
        content, suffix = (CSV, "csv") if "csv" in accept else (PDF, "pdf")
        data[name] = SimpleUploadedFile(f"upload.{suffix}", content)
    return data


def _target(form, page_url: str) -> str | None:
    action = form["action"] or page_url
    try:
        match = resolve(action.split("?")[0])
    except Resolver404:
        return None
    if match.url_name in NOT_THE_PAGES_OWN or match.view_name in NOT_THE_PAGES_OWN:
        return None
    return action


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(_pages()))
def test_every_form_answers_without_a_server_error(client, world, name, role):  # noqa: F811
    client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[role]
    page_url = url_of(name, world)
    page = client.get(page_url)
    assert page.status_code == 200
    if "text/html" not in page.get("Content-Type", ""):
        return
    reader = FormReader()
    reader.feed(page.content.decode())
    for form in reader.forms:
        action = _target(form, page_url)
        if action is None:
            continue
        invalid = client.post(action, {})
        assert invalid.status_code < 500, f"{action} (empty): {invalid.status_code}"
        valid = client.post(action, _valid_data(form))
        assert valid.status_code < 500, f"{action} (filled): {valid.status_code}"


def test_the_form_reader_finds_fields_as_a_browser_sends_them():
    reader = FormReader()
    reader.feed(
        '<form method="post" action="/x/"><input name="a" value="1"><input type="date" name="d">'
        '<select name="s"><option value="">—</option><option value="7">Seven</option></select>'
        '<input type="checkbox" name="c" value="on" checked><input type="checkbox" name="n">'
        '<textarea name="t">Hello</textarea><input type="file" name="f" accept=".csv">'
        '<button type="submit">Go</button></form><form method="get"><input name="q"></form>'
    )
    (form,) = reader.forms
    data = _valid_data(form)
    assert data["a"] == ["1"] and data["s"] == ["7"] and data["c"] == ["on"]
    assert data["t"] == ["Hello"] and "n" not in data
    assert data["d"] == [(timezone.localdate() + datetime.timedelta(days=30)).isoformat()]
    assert data["f"].name == "upload.csv"
