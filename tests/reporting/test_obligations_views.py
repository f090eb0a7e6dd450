"""The obligations' pages from the outside: who may read and act (anonymous, wrong role, wrong
convention refused), the buttons each person is offered, the country's standing adding up to
the obligations behind it, and the performance report's section on obligations met on time."""

import datetime

import pytest
from django.urls import reverse

from reporting.models import ObligationInstance
from reporting.obligations import selectors, services
from reporting.performance.obligations import obligations_section
from reporting.performance.period import Period
from tests.factories import days_from_today
from tests.reporting.obligations_helpers import role_holder, steering_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def basel_focal(db):
    return role_holder("basel", "focal-point", "basel.focal@ncm.test")


@pytest.fixture
def dna(db):
    return role_holder("rotterdam", "designated-national-authority", "dna@ncm.test")


@pytest.fixture
def planned(basel_focal, dna, secretariat, today):
    steering_committee("basel", "rotterdam", "minamata")
    services.obligations_plan(on=today)
    services.obligation_open(
        obligation="rotterdam-import-response",
        subject="Chemical Late",
        trigger_date=days_from_today(-300),
        actor=secretariat,
    )
    services.obligation_open(
        obligation="rotterdam-regulatory-action",
        subject="Chemical Open",
        trigger_date=days_from_today(-10),
        actor=secretariat,
    )
    return ObligationInstance.objects.select_related("convention")


def _basel_open(planned, today):
    return next(i for i in planned if i.obligation == "basel-annual-report" and i.due_on >= today)


PAGES = [
    ("reporting:obligations", []),
    ("reporting:obligations-convention", ["basel"]),
    ("reporting:obligations-convention", ["rotterdam"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_signed_in_readers_see_the_pages(client, viewer, planned, name, args):
    client.force_login(viewer)
    assert client.get(reverse(name, args=args)).status_code == 200


def test_an_unknown_convention_is_not_found(client, viewer):
    client.force_login(viewer)
    assert (
        client.get(reverse("reporting:obligations-convention", args=["kyoto"])).status_code == 404
    )


def test_planning_and_opening_are_refused_to_everyone_but_the_secretariat(
    client, member, dna, planned
):
    for user in (member, dna):
        client.force_login(user)
        assert client.post(reverse("reporting:obligations-plan")).status_code == 403
        assert client.get(reverse("reporting:obligations-open")).status_code == 403
        assert (
            client.post(
                reverse("reporting:obligations-open"),
                {
                    "obligation": "rotterdam-import-response",
                    "subject": "X",
                    "trigger_date": days_from_today(-1).isoformat(),
                },
            ).status_code
            == 403
        )


def test_recording_is_refused_to_a_member_and_to_another_conventions_focal_point(
    client, member, dna, planned, today
):
    basel = _basel_open(planned, today)
    url = reverse("reporting:obligations-complete", args=[basel.pk])
    for user in (member, dna):
        client.force_login(user)
        assert client.get(url).status_code == 403
        response = client.post(url, {"completed_on": today.isoformat(), "reference": "R"})
        assert response.status_code == 403
    basel.refresh_from_db()
    assert basel.completed_on is None


def test_the_basel_focal_point_records_the_report_through_the_page(
    client, basel_focal, planned, today
):
    basel = _basel_open(planned, today)
    client.force_login(basel_focal)
    url = reverse("reporting:obligations-complete", args=[basel.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"completed_on": today.isoformat(), "reference": ""}).status_code == 400
    response = client.post(url, {"completed_on": today.isoformat(), "reference": "BC-2026-1"})
    assert response.status_code == 302
    basel.refresh_from_db()
    assert basel.completion_reference == "BC-2026-1" and basel.met_on_time
    assert client.get(url).status_code == 403  # nothing left to record


def test_pages_offer_only_the_buttons_the_person_may_use(
    client, basel_focal, dna, secretariat, viewer, planned, today
):
    basel = _basel_open(planned, today)
    record = reverse("reporting:obligations-complete", args=[basel.pk])
    basel_page = reverse("reporting:obligations-convention", args=["basel"])
    rotterdam_page = reverse("reporting:obligations-convention", args=["rotterdam"])
    plan = reverse("reporting:obligations-plan")
    open_url = reverse("reporting:obligations-open")

    client.force_login(basel_focal)
    assert record in client.get(basel_page).content.decode()
    assert open_url not in client.get(rotterdam_page).content.decode()
    assert plan not in client.get(reverse("reporting:obligations")).content.decode()

    client.force_login(dna)
    assert record not in client.get(basel_page).content.decode()
    rotterdam = client.get(rotterdam_page).content.decode()
    assert "Record as met" in rotterdam and open_url not in rotterdam

    client.force_login(viewer)
    assert "Record as met" not in client.get(basel_page).content.decode()

    client.force_login(secretariat)
    assert record in client.get(basel_page).content.decode()
    assert open_url in client.get(rotterdam_page).content.decode()
    assert plan in client.get(reverse("reporting:obligations")).content.decode()


def test_the_secretariat_opens_an_import_response_through_the_page(client, secretariat, dna):
    client.force_login(secretariat)
    response = client.post(
        reverse("reporting:obligations-open"),
        {
            "obligation": "rotterdam-import-response",
            "subject": "Chemical New",
            "trigger_date": days_from_today(-5).isoformat(),
        },
    )
    assert response.status_code == 302
    instance = ObligationInstance.objects.get(subject="Chemical New")
    assert instance.responsible_institution == dna.person.institution


def test_the_standing_adds_up_to_the_obligations_behind_it(client, viewer, planned, today):
    standing = selectors.standing(on=today)
    rows = selectors.obligation_rows(on=today)
    assert sum(item["total"] for item in standing) == len(rows)
    for item in standing:
        mine = [r for r in rows if r.convention == item["convention"].code]
        assert sum(item["counts"].values()) == item["total"] == len(mine)
        assert len(item["late"]) == item["counts"]["late"]
        if item["next"] is not None:
            assert item["next"].status == "due"
            assert item["next"].due == min(r.due for r in mine if r.status == "due")
    rotterdam = next(i for i in standing if i["convention"].code == "rotterdam")
    assert [r.label for r in rotterdam["late"]] == [
        "Import response for a chemical listed in Annex III: Chemical Late"
    ]
    assert [d.person.user for d in rotterdam["focal_points"]] == [
        d.person.user for d in selectors.focal_points(today)["rotterdam"]
    ]
    client.force_login(viewer)
    page = client.get(reverse("reporting:obligations")).content.decode()
    assert "Chemical Late" in page and "dna@ncm.test" not in page


def test_unconfirmed_dates_are_shown_as_such(client, viewer):
    services.obligations_plan(on=datetime.date(2024, 6, 1))
    client.force_login(viewer)
    page = client.get(reverse("reporting:obligations-convention", args=["minamata"]))
    assert "date unconfirmed" in page.content.decode()


def test_the_performance_report_counts_obligations_met_on_time(
    secretariat, basel_focal, planned, today
):
    year = today.year
    basel = _basel_open(planned, today)
    if basel.due_on.year == year:
        services.obligation_complete(
            instance=basel, completed_on=today, reference="R", actor=basel_focal
        )
    section = obligations_section(Period.of(year, on=today))
    rows = [
        r
        for r in selectors.obligation_rows(on=today)
        if datetime.date(year, 1, 1) <= r.due <= datetime.date(year, 12, 31)
    ]
    assert section["totals"]["total"] == len(rows)
    for row in section["rows"]:
        assert row["on_time"] + row["late"] + row["open"] == row["total"]
        mine = [r for r in rows if r.convention == row["convention"].code]
        assert row["total"] == len(mine)
        assert row["on_time"] == sum(r.status == "done" and r.met_on_time for r in mine)
    assert sum(r["late"] for r in section["rows"]) == section["totals"]["late"]


def test_the_performance_page_loads_the_section_and_the_pdf_includes_it(
    client, secretariat, viewer, planned, today
):
    client.force_login(secretariat)
    page = client.get(reverse("reporting:performance") + f"?year={today.year - 1}")
    section_url = reverse("reporting:performance-obligations")
    assert section_url in page.content.decode()
    section = client.get(section_url + f"?year={today.year}")
    assert section.status_code == 200 and "Met on time" in section.content.decode()
    client.force_login(viewer)
    assert client.get(section_url).status_code == 403


def test_the_pages_cost_the_same_queries_with_more_obligations(
    client, viewer, secretariat, planned
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)
    urls = [
        reverse("reporting:obligations"),
        reverse("reporting:obligations-convention", args=["rotterdam"]),
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for n in range(10):
        services.obligation_open(
            obligation="rotterdam-regulatory-action",
            subject=f"Chemical {n}",
            trigger_date=days_from_today(-n),
            actor=secretariat,
        )
    assert counts() == before
    assert max(before) < 15
