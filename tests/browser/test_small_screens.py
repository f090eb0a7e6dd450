"""The portal on a 360 px phone, on a 1,280 px laptop, and right to left.

- At 360 px no page scrolls sideways: wide tables scroll inside their own container, and the
  calendar's month becomes a list of days.
- The top bar fits 1,280 px on one line and collapses at 360 px, keeping the notification count
  and the signed-in name in view.
- In Arabic, the SVG timelines (NIP cycle, workplan) keep every label inside the drawing.
"""

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

DEMO_PASSWORD = "ncm-demo-2026"  # noqa: S105 (the demo accounts' documented password)
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}

# Measures how far the document reaches past the viewport, and names the widest elements.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0) continue;
        const spills = el.children.length === 0 && el.scrollWidth > el.clientWidth + 1 &&
            getComputedStyle(el).overflowX === 'visible';
        if (box.right > width + 1 || box.left < -1 || spills) {
            if (!el.closest('.table-responsive, .scroll-x')) {
                wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                    (el.className && typeof el.className === 'string' ?
                     '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                    ' ' + Math.round(box.left) + '..' + Math.round(box.right));
            }
        }
    }
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6)};
}"""

# Every <text> of every drawing on the page whose box leaves its svg's box.
LABELS_OUTSIDE = """(selector) => {
    const out = [];
    for (const svg of document.querySelectorAll(selector)) {
        const frame = svg.getBoundingClientRect();
        for (const text of svg.querySelectorAll('text')) {
            const box = text.getBoundingClientRect();
            if (box.width === 0) continue;
            if (box.left < frame.left - 1 || box.right > frame.right + 1 ||
                box.top < frame.top - 1 || box.bottom > frame.bottom + 1) {
                out.push(text.textContent.trim() + ' ' + Math.round(box.left) + '..' +
                         Math.round(box.right) + ' in ' + Math.round(frame.left) + '..' +
                         Math.round(frame.right));
            }
        }
    }
    return out;
}"""


# The distinct tops of the top bar's entries and of the person's corner: one line, one top.
TOP_BAR_ROWS = """() => [...document.querySelectorAll(
        '#main-nav > .navbar-nav > .nav-item, .navbar-account, .navbar-brand')]
    .map(el => { const b = el.getBoundingClientRect(); return Math.round(b.top + b.height / 2); })
"""
NAME_CUT = """() => { const name = document.querySelector('.navbar-person-name');
    return name.scrollWidth > name.clientWidth + 1; }"""


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def pages():
    body = Body.objects.get(acronym="NCM")
    cycle = Cycle.objects.order_by("-pk").first()
    dataset = Dataset.objects.filter(accepted_version__isnull=False).first()
    report = Report.objects.filter(round__number=6).latest("pk")  # draft, or submitted later on
    workplan = Workplan.objects.first()
    return [
        reverse("coordination:dashboard"),
        reverse("coordination:institution-list"),
        reverse("coordination:institution-detail", args=[Institution.objects.first().pk]),
        reverse("coordination:body-list"),
        reverse("coordination:body-detail", args=[body.pk]),
        reverse("coordination:person-detail", args=[Person.objects.first().pk]),
        reverse("coordination:convention-list"),
        reverse("coordination:mandate-matrix"),
        reverse("coordination:workplan-list"),
        reverse("coordination:workplan-detail", args=[workplan.pk]),
        reverse("coordination:scorecard"),
        reverse("coordination:workplan-scorecard", args=[workplan.pk]),
        reverse("coordination:task-list"),
        reverse("coordination:task-detail", args=[Task.objects.first().pk]),
        reverse("coordination:meeting-list"),
        reverse("coordination:meeting-detail", args=[Meeting.objects.first().pk]),
        reverse("coordination:calendar"),
        reverse("coordination:document-list"),
        reverse("coordination:ballot-list"),
        reverse("coordination:ballot-detail", args=[Ballot.objects.first().pk]),
        reverse("coordination:notification-list"),
        reverse("coordination:audit-log"),
        reverse("nip_lifecycle:cycle-list"),
        reverse("nip_lifecycle:cycle-detail", args=[cycle.pk]),
        reverse("nip_lifecycle:priority-detail", args=[cycle.pk]),
        reverse("nip_lifecycle:draft-detail", args=[cycle.pk]),
        reverse("nip_lifecycle:step-detail", args=[cycle.steps.get(number=4).pk]),
        reverse("inventories:index"),
        reverse("inventories:upload"),
        reverse("inventories:dataset-list"),
        reverse("inventories:dataset-detail", args=[dataset.pk]),
        reverse("inventories:version-detail", args=[dataset.accepted_version_id]),
        reverse("inventories:review-queue"),
        reverse("inventories:schedule-list"),
        reverse("inventories:type-detail", args=["customs"]),
        reverse("inventories:chemical-list"),
        reverse("inventories:hs-code-list"),
        reverse("inventories:national-code-list"),
        reverse("inventories:emission-factor-list"),
        reverse("inventories:data-customs"),
        reverse("inventories:data-monitoring"),
        reverse("inventories:data-pcb"),
        reverse("inventories:data-waste-movements"),
        reverse("inventories:data-releases"),
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


def test_the_portal_on_a_phone_a_laptop_and_right_to_left(page):
    # One test: the demo is seeded once (a transactional test empties the reference tables).
    call_command("seed_demo", verbosity=0)
    sign_in(page, "secretariat@ncm.example")

    # 360 px: no page scrolls sideways.
    page.set_viewport_size(PHONE)
    sideways = {}
    for url in pages():
        response = page.goto(url)
        assert response.status == 200, url
        measured = page.evaluate(OVERFLOW)
        if measured["scroll"] > measured["width"]:
            sideways[url] = measured
    assert sideways == {}, "\n".join(
        f"{url}: {m['scroll']} px wide; {m['wide']}" for url, m in sideways.items()
    )

    # The calendar's month is a list on a phone: no grid of seven columns to break words in.
    page.goto(reverse("coordination:calendar"))
    assert page.locator("table.calendar-month").is_hidden()
    assert page.locator("ul.calendar-list").is_visible()

    # 360 px: the top bar collapses; the count and the name stay in view.
    page.goto(reverse("coordination:dashboard"))
    assert page.locator("#main-nav").is_hidden()
    for part in (".navbar-bell", ".navbar-person-name", ".navbar-toggler"):
        box = page.locator(part).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    page.click(".navbar-toggler")
    # The bar unfolds with a transition (Bootstrap's "collapsing", then "collapse show"): a click
    # while it unfolds may land on an entry that is still moving, on a slow machine.
    page.locator("#main-nav.collapse.show").wait_for(state="visible")
    page.get_by_role("button", name="Inventories").click()
    # The menu opens with a transition: wait for the entry (raises if it never shows).
    page.get_by_role("link", name="Upload a dataset").wait_for(state="visible")
    assert page.evaluate(OVERFLOW)["scroll"] <= PHONE["width"]

    # 1,280 px: every entry of the top bar on one line, and the name whole, in every language
    # whose labels are longest.
    page.set_viewport_size(LAPTOP)
    origin = "/".join(page.url.split("/", 3)[:3])
    for language in ("en", "fr", "ru", "es", "ar"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": origin}]
        )
        page.goto(reverse("coordination:dashboard"))
        assert page.locator("#main-nav").is_visible(), language
        tops = page.evaluate(TOP_BAR_ROWS)
        assert len(set(tops)) == 1, f"{language}: the top bar takes {len(set(tops))} lines"
        assert page.evaluate(NAME_CUT) is False, f"{language}: the name is cut"

    # Right to left and left to right: the timelines keep their labels inside the drawing.
    cycle = Cycle.objects.order_by("-pk").first()
    workplan = max(
        Workplan.objects.all(), key=lambda w: Task.objects.filter(activity__workplan=w).count()
    )
    outside = {}
    for language in ("ar", "en"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": origin}]
        )
        for viewport in (LAPTOP, PHONE):
            page.set_viewport_size(viewport)
            for url in (
                reverse("nip_lifecycle:cycle-detail", args=[cycle.pk]),
                reverse("coordination:workplan-detail", args=[workplan.pk]),
            ):
                page.goto(url)
                assert page.locator("svg.timeline text").count() > 3, url
                labels = page.evaluate(LABELS_OUTSIDE, "svg.timeline")
                if labels:
                    outside[f"{url} ({language}, {viewport['width']} px)"] = labels
    assert outside == {}, "\n".join(f"{where}: {labels}" for where, labels in outside.items())
