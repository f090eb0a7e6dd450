"""Every main page passes axe-core in headless Chromium with no serious or critical violation, and
a form can be filled and sent with the keyboard alone.

axe-core comes from the npm registry (`npm install axe-core`); the copy in `vendor/` is injected
through the browser's developer protocol, so the page's Content Security Policy stays as strict
as in production.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from coordination.models import Ballot, Body, Institution, Meeting, Person, Task, Workplan
from inventories.models import Dataset
from nip_lifecycle.models import Cycle
from reporting.models import ImportResponse, Report
from tests.browser.helpers import convention_report_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
DEMO_PASSWORD = "ncm-demo-2026"  # noqa: S105 (the demo accounts' documented password)
SERIOUS = {"serious", "critical"}


def violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in result
        if v["impact"] in SERIOUS
    ]


def main_pages():
    body = Body.objects.get(acronym="NCM")
    cycle = Cycle.objects.order_by("-pk").first()
    dataset = Dataset.objects.filter(accepted_version__isnull=False).first()
    report = Report.objects.filter(round__number=6).latest("pk")  # draft, or submitted later on
    return [
        reverse("coordination:dashboard"),
        reverse("coordination:institution-list"),
        reverse("coordination:institution-detail", args=[Institution.objects.first().pk]),
        reverse("coordination:body-detail", args=[body.pk]),
        reverse("coordination:person-detail", args=[Person.objects.first().pk]),
        reverse("coordination:convention-list"),
        reverse("coordination:mandate-matrix"),
        reverse("coordination:workplan-detail", args=[Workplan.objects.first().pk]),
        reverse("coordination:task-list"),
        reverse("coordination:task-detail", args=[Task.objects.first().pk]),
        reverse("coordination:meeting-list"),
        reverse("coordination:meeting-detail", args=[Meeting.objects.first().pk]),
        reverse("coordination:calendar"),
        reverse("coordination:document-list"),
        reverse("coordination:ballot-list"),
        reverse("coordination:ballot-detail", args=[Ballot.objects.first().pk]),
        reverse("coordination:institution-create"),
        reverse("nip_lifecycle:cycle-list"),
        reverse("nip_lifecycle:cycle-detail", args=[cycle.pk]),
        reverse("inventories:index"),
        reverse("inventories:upload"),
        reverse("inventories:dataset-detail", args=[dataset.pk]),
        reverse("inventories:data-customs"),
        reverse("inventories:data-pcb"),
        reverse("inventories:data-waste-movements"),
        reverse("reporting:performance"),
        reverse("reporting:article15-list"),
        reverse("reporting:obligations"),
        reverse("reporting:obligations-convention", args=["rotterdam"]),
        reverse("reporting:import-response", args=[ImportResponse.objects.first().pk]),
        reverse("reporting:article15-detail", args=[report.pk]),
        reverse(
            "reporting:article15-section",
            args=[report.pk, report.assignments.order_by("section__order")[1].section_id],
        ),
        *convention_report_pages(),
    ]


def test_main_pages_pass_axe_and_forms_work_with_the_keyboard(page):
    # One test: the demo is seeded once (a transactional test empties the reference tables).
    call_command("seed_demo", verbosity=0)

    # Signing in with the keyboard alone: the e-mail field has the focus, Tab leads on.
    page.goto("/accounts/login/")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("secretariat@ncm.example")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/"), page.url
    assert page.get_by_role("heading", name="Secretariat dashboard").is_visible()

    # On every page the first Tab reaches the skip link, which moves past the navigation.
    page.goto(reverse("coordination:meeting-list"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    found = {}
    for url in main_pages():
        response = page.goto(url)
        assert response.status == 200, url
        found[url] = violations(page)
    # Right to left: the same checks in Arabic on a few pages.
    origin = page.url.split("/", 3)[:3]
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": "/".join(origin)}]
    )
    for url in main_pages()[:4]:
        page.goto(url)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        found[f"{url} (ar)"] = violations(page)
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    found["/accounts/login/"] = violations(page)
    failing = {url: v for url, v in found.items() if v}
    assert failing == {}, "\n".join(f"{url}: {v}" for url, v in failing.items())
