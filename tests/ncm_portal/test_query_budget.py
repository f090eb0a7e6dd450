"""The main pages, on the demo mechanism, each answer with fewer than 15 queries for the role
that uses them, and weigh under 200 KB on a first visit with everything they load.

The demo is loaded once for the module (inside a transaction rolled back at the end).
``tests/coordination/test_query_counts.py`` and its siblings prove that pages cost the same at
any size; this module proves what that fixed cost is.
"""

import re
from urllib.parse import urljoin

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from whitenoise.compress import Compressor

from coordination.models import Ballot, Body, Meeting, User, Workplan
from coordination.registry.selectors import vacancy_warnings
from inventories.models import DatasetVersion
from nip_lifecycle.models import Cycle
from reporting.models import Report

pytestmark = pytest.mark.django_db

BUDGET = 15  # queries: every page answers with fewer
WEIGHT = 200 * 1024  # bytes transferred on a first visit

ADMIN = "admin@ncm.example"
SECRETARIAT = "secretariat@ncm.example"
FOCAL_POINT = "focal.point@ncm.example"
MEMBER = "member@ncm.example"
VIEWER = "viewer@ncm.example"
CONTACT_POINT = "contact.point@ncm.example"


def _cycle():
    return Cycle.objects.order_by("-pk").first()


def _version():
    return DatasetVersion.objects.filter(status="validated").order_by("pk").first()


def _report():
    return Report.objects.filter(round__number=6).latest("pk")  # draft, or submitted later on


# (who, URL name, its arguments from the demo, query string)
PAGES = {
    **{
        f"dashboard-{who.split('@')[0]}": (who, "coordination:dashboard", None, "")
        for who in (ADMIN, SECRETARIAT, FOCAL_POINT, MEMBER, VIEWER, CONTACT_POINT)
    },
    "institution-directory": (MEMBER, "coordination:institution-list", None, ""),
    "institution-page": (
        FOCAL_POINT,
        "coordination:institution-detail",
        lambda: [User.objects.get(email=FOCAL_POINT).person.institution_id],
        "",
    ),
    "body-page": (SECRETARIAT, "coordination:body-detail", lambda: [_ncm().pk], ""),
    "calendar-month": (MEMBER, "coordination:calendar", None, ""),
    "calendar-list": (MEMBER, "coordination:calendar", None, "?view=list"),
    "workplan-page": (
        SECRETARIAT,
        "coordination:workplan-detail",
        lambda: [Workplan.objects.order_by("pk").first().pk],
        "",
    ),
    "task-list": (FOCAL_POINT, "coordination:task-list", None, ""),
    "meeting-page": (
        MEMBER,
        "coordination:meeting-detail",
        lambda: [Meeting.objects.first().pk],
        "",
    ),
    "ballot-page": (
        MEMBER,
        "coordination:ballot-detail",
        lambda: [Ballot.objects.first().pk],
        "",
    ),
    "document-list": (MEMBER, "coordination:document-list", None, ""),
    "dataset-version-page": (
        SECRETARIAT,
        "inventories:version-detail",
        lambda: [_version().pk],
        "",
    ),
    "customs-data": (SECRETARIAT, "inventories:data-customs", None, ""),
    "monitoring-data": (SECRETARIAT, "inventories:data-monitoring", None, ""),
    "pcb-data": (SECRETARIAT, "inventories:data-pcb", None, ""),
    "releases-data": (SECRETARIAT, "inventories:data-releases", None, ""),
    "nip-cycle-page": (SECRETARIAT, "nip_lifecycle:cycle-detail", lambda: [_cycle().pk], ""),
    "nip-step-page": (
        SECRETARIAT,
        "nip_lifecycle:step-detail",
        lambda: [_cycle().steps.get(number=5).pk],
        "",
    ),
    "article15-list": (SECRETARIAT, "reporting:article15-list", None, ""),
    "article15-report": (SECRETARIAT, "reporting:article15-detail", lambda: [_report().pk], ""),
    "performance-report": (MEMBER, "reporting:performance", None, ""),
}


def _ncm():
    return Body.objects.get(acronym="NCM")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def _url(page):
    _, name, args, query = PAGES[page]
    return reverse(name, args=args() if args else []) + query


def _sign_in(client, email):
    client.force_login(User.objects.get(email=email))


@pytest.mark.parametrize("page", PAGES)
def test_main_page_answers_with_fewer_than_15_queries(demo, client, page):
    _sign_in(client, PAGES[page][0])
    url = _url(page)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    listing = "\n".join(q["sql"][:160] for q in queries.captured_queries)
    assert len(queries) < BUDGET, f"{url}: {len(queries)} queries\n{listing}"


def test_the_body_page_shows_the_bodys_warnings(demo, client):
    """The body page builds its warnings from the rows it loads: the same as the registry's."""
    _sign_in(client, SECRETARIAT)
    for body in Body.objects.all():
        response = client.get(reverse("coordination:body-detail", args=[body.pk]))
        assert response.context["warnings"] == vacancy_warnings(body=body), body


# --- What a first visit transfers ----------------------------------------------------------

ASSET = re.compile(r"""<(?:script|link|img|source)\b[^>]*?\b(?:src|href)=["']([^"']+)""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
COMPRESSOR = Compressor(quiet=True)


def _served_size(path: str) -> int:
    """Bytes WhiteNoise sends for a static file: its gzip file where compression pays (as
    CompressedManifestStaticFilesStorage writes them at collectstatic), else the file."""
    data = open(finders.find(path), "rb").read()  # noqa: SIM115
    if not COMPRESSOR.should_compress(path):
        return len(data)
    compressed = COMPRESSOR.compress_gzip(data)
    return len(compressed) if len(compressed) <= 0.95 * len(data) else len(data)


def _static_files(html: str) -> set[str]:
    """The portal's static files a page loads: its links, scripts and images, and whatever their
    stylesheets load in turn (fonts, images)."""
    found, todo = set(), [u for u in ASSET.findall(html) if u.startswith("/static/")]
    while todo:
        url = todo.pop().split("?")[0].split("#")[0]
        if url in found:
            continue
        found.add(url)
        if url.endswith(".css"):
            css = open(finders.find(url.removeprefix("/static/")), encoding="utf-8").read()  # noqa: SIM115
            for ref in CSS_URL.findall(css):
                if not ref.startswith(("data:", "#")):
                    todo.append(urljoin(url, ref))
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_first_visit_to_a_main_page_transfers_under_200_kb(demo, client, settings, language):
    _sign_in(client, SECRETARIAT)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    weights = {}
    for page in PAGES:
        if PAGES[page][0] != SECRETARIAT:
            continue
        response = client.get(_url(page))
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "Content-Encoding" not in response  # the HTML goes out as it is
        files = _static_files(html)
        assert any(f.endswith(".css") for f in files) and any(f.endswith(".js") for f in files)
        sizes = {f: _served_size(f.removeprefix("/static/")) for f in files}
        weights[page] = (len(response.content) + sum(sizes.values()), sizes)
    heavy = {p: w for p, (w, _) in weights.items() if w >= WEIGHT}
    assert not heavy, "\n".join(f"{p}: {w // 1024} KB ({weights[p][1]})" for p, w in heavy.items())
