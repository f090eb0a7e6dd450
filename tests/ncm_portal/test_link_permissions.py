"""Pages offer only what the person may open: every page of the permission matrix's data set is
read as every role, and every same-site link on it (``href``, ``hx-get`` and the ``action`` of a
form sent by GET) is followed; none may answer 403 to that role.

Besides the matrix's roles, the walk reads the portal as the Stockholm Convention's official
contact point (a member of institution B who approves national reports), and it adds what the
matrix's pages do not show: step 4 of the NIP cycle, which lists every institution's inventories,
and an Article 15 answer computed from institution A's dataset.

The walk starts from every page the matrix says the role may open and follows the links it finds,
at most ``PER_NAME`` addresses per URL name and role (a list of sixty institutions links to sixty
pages of the same kind: three of them prove the rule), so that it stays quick. Forms sent by POST
are not submitted: they would change what the next page shows.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.ncm_portal.permission_matrix import EXCLUDED_PREFIXES, MATRIX, ROLES
from tests.ncm_portal.test_permission_matrix import url_of, world  # noqa: F401 - a fixture

PER_NAME = 3
SIGNED_IN = [role for role in ROLES if role != "anonymous"] + ["official_contact_point"]
# Addresses that are not pages to open: the sign-out button's target and static files.
NOT_PAGES = ("/static/", "/media/")


@pytest.fixture(autouse=True)
def _media_and_mail(settings):
    """The data set's files stay in the module's media directory for every role."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class LinkParser(HTMLParser):
    """The addresses a page lets the reader open with a GET."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.links.append(attrs.get("action") or "")
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])


def links_on(page_url: str, html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    found = []
    for link in parser.links:
        if link.startswith(("mailto:", "tel:", "javascript:", "#")) or link == "":
            continue
        absolute = urldefrag(urljoin("http://testserver" + page_url, link)).url
        parts = urlsplit(absolute)
        if parts.netloc != "testserver":
            continue  # another site: not the portal's to answer
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.lstrip("/").startswith(EXCLUDED_PREFIXES) or path.startswith(NOT_PAGES):
            continue
        found.append(path)
    return found


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


@pytest.fixture(scope="module")
def walked(world, django_db_blocker):  # noqa: F811
    """The matrix's data set, with the official contact point and the pages that name other
    institutions' datasets."""
    from coordination.models import Designation, Role
    from nip_lifecycle.services.cycles import OFFICIAL_CONTACT_POINT
    from reporting.models import Answer
    from reporting.prefill import version_sources
    from tests.factories import DesignationFactory, PersonFactory, UserFactory, convention_role

    with django_db_blocker.unblock():
        contact = UserFactory(email="contact.point@matrix.test", role=Role.MEMBER)
        DesignationFactory(
            person=PersonFactory(institution=world.other_institution, user=contact),
            kind=Designation.Kind.CONVENTION,
            convention_role=convention_role(*OFFICIAL_CONTACT_POINT),
        )
        browser = Client()
        browser.force_login(contact)
        world.sessions["official_contact_point"] = browser.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value
        Answer.objects.update_or_create(
            report=world.report,
            question=world.report_question,
            defaults={"prefilled": True, "sources": version_sources([world.version])},
        )
        world.inventory_step = world.cycle.steps.get(number=4)
    return world


def start_pages(w, role: str) -> list[str]:
    """Every page the matrix lets the role open (the contact point: what a member opens, where
    the pages of institution A's members answer 403 and are not followed)."""
    as_role = "member" if role == "official_contact_point" else role
    extra = [reverse("nip_lifecycle:step-detail", kwargs={"pk": w.inventory_step.pk})]
    return extra + [
        url_of(name, w)
        for name, methods in MATRIX.items()
        if methods["GET"][as_role] == 200 and "POST" not in methods
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_no_page_links_to_what_the_role_may_not_open(walked, role):
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = walked.sessions[role]
    starts = start_pages(walked, role)
    queue = deque((path, None) for path in starts)
    status: dict[str, int] = {}
    per_name: dict[str | None, int] = {}
    refused: set[str] = set()
    while queue:
        path, linked_from = queue.popleft()
        if path not in status:
            name = url_name(path)
            if per_name.get(name, 0) >= PER_NAME:
                continue
            per_name[name] = per_name.get(name, 0) + 1
            response = client.get(path)
            status[path] = response.status_code
            is_html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and is_html and not response.streaming:
                queue.extend((link, path) for link in links_on(path, response.content.decode()))
            if response.streaming:  # read to the end: the test client then closes the file
                for _chunk in response.streaming_content:
                    pass
        if status[path] == 403 and linked_from is not None:
            refused.add(f"{linked_from} links to {path} ({url_name(path)}), which answers 403")
    assert len(status) > len(starts), "the walk followed no link"
    if role in ROLES:  # the contact point is no row of the matrix: its pages are a member's
        closed = [path for path in starts if status.get(path, 200) != 200]
        assert not closed, f"the matrix says {role} opens {closed}"
    assert not refused, f"as {role}:\n" + "\n".join(sorted(refused))
