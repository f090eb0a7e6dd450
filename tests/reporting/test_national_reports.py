"""National reports of every convention on the Article 15 machinery: a round belongs to a
convention, the Minamata rounds take their dates from the obligations register and their
structure from data, marked where unconfirmed; the pages name the convention's report; the
convention's own focal point approves; and the Minamata report is prefilled from the registry,
the workplans and the accepted customs lines, with specific, group and indicative matches kept
apart and every line counted once."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from coordination.models import Activity, Designation, Task, Workplan
from inventories.models import CustomsRecord
from reporting import prefill_conventions
from reporting.models import Answer, NationalReport, Question, Report, Round
from reporting.reference import UNCONFIRMED
from reporting.services import article15 as services
from tests.factories import (
    BodyFactory,
    DesignationFactory,
    InstitutionFactory,
    PersonFactory,
    UserFactory,
    convention_role,
)
from tests.reporting.test_article15_group_rows import load_lines

pytestmark = pytest.mark.django_db

D = datetime.date
REGISTER = Path(__file__).resolve().parents[2] / "reporting" / "reference" / "obligations.json"


def _register_instance(code: str, label: str) -> dict:
    data = json.loads(REGISTER.read_text(encoding="utf-8"))
    entry = next(o for o in data["obligations"] if o["code"] == code)
    return next(i for i in entry["instances"] if i["label"] == label)


def _minamata(number: int) -> Round:
    return Round.objects.get(convention="minamata", number=number)


def _designated(convention: str, role: str, email: str):
    user = UserFactory(email=email, role="member")
    person = PersonFactory(institution=InstitutionFactory(), user=user)
    DesignationFactory(
        person=person,
        kind=Designation.Kind.CONVENTION,
        convention_role=convention_role(convention, role),
    )
    return user


def _accept_everything(report, actor):
    for assignment in report.assignments.select_related("section"):
        services.section_submit(report=report, section=assignment.section, actor=actor)
        services.section_review(
            report=report, section=assignment.section, action="accept", actor=actor
        )


# --- Rounds and structure ----------------------------------------------------------------------


def test_the_article15_rounds_are_the_stockholm_conventions_and_numbers_repeat_per_convention():
    assert Round.objects.filter(convention="stockholm").count() == 7
    assert Round.objects.get(convention="stockholm", number=6).report_name == (
        "Article 15 national report"
    )
    assert _minamata(2019).report_name == "Article 21 national report"
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(
            convention="stockholm",
            number=6,
            label="Again",
            period_start=D(2022, 1, 1),
            period_end=D(2025, 12, 31),
            deadline=D(2026, 8, 31),
        )
    assert NationalReport is Report


def test_the_minamata_rounds_take_their_dates_from_the_obligations_register_unconfirmed_kept():
    second_full = _minamata(2025)
    instance = _register_instance("minamata-full-report", "Second full report")
    assert second_full.label == "Second full report"
    assert second_full.deadline == D.fromisoformat(instance["due"])
    assert (second_full.period_start, second_full.period_end) == (
        D.fromisoformat(instance["period_start"]),
        D.fromisoformat(instance["period_end"]),
    )
    assert "unconfirmed" in second_full.source.lower()
    first_full = _minamata(2021)
    assert first_full.deadline == D(2021, 12, 31) and "unconfirmed" not in first_full.source
    assert [r.label for r in Round.objects.filter(convention="minamata").order_by("number")] == [
        "First short report",
        "First full report",
        "Second short report",
        "Second full report",
        "Third short report",
    ]


def test_the_full_format_has_the_articles_and_every_question_shows_it_is_unconfirmed():
    codes = list(_minamata(2025).sections.order_by("order").values_list("code", flat=True))
    assert codes[:4] == ["A", "B-3", "B-4", "B-5"] and codes[-1] == "C"
    questions = Question.objects.filter(section__round=_minamata(2025))
    assert questions.count() == 30
    assert all(UNCONFIRMED in q.help for q in questions)
    assert questions.get(code="B-3-4").prefill == Question.Prefill.MERCURY
    assert questions.get(code="B-4-2").prefill == Question.Prefill.MERCURY_PRODUCTS


def test_a_short_round_holds_only_the_four_questions_marked_with_an_asterisk():
    questions = Question.objects.filter(section__round=_minamata(2027))
    assert sorted(questions.values_list("code", flat=True)) == ["B-3-2", "B-3-4", "B-4-1", "B-5-1"]


# --- Pages and approval ------------------------------------------------------------------------


def test_the_minamata_pages_name_the_article21_report_and_the_article15_page_is_unchanged(
    client, secretariat
):
    client.force_login(secretariat)
    page = client.get(reverse("reporting:national-report-list", args=["minamata"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Article 21" in text and "Third short report" in text and "Sixth round" not in text
    stockholm = client.get(reverse("reporting:article15-list")).content.decode()
    assert "National reports (Article 15)" in stockholm and "Third short report" not in stockholm
    nowhere = client.get(reverse("reporting:national-report-list", args=["nowhere"]))
    assert nowhere.status_code == 404
    started = client.post(reverse("reporting:national-report-start", args=["minamata", 2027]))
    report = Report.objects.get(round=_minamata(2027))
    assert started.url == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "National reports (Minamata Convention, Article 21)" in detail
    assert "national focal point of the Minamata" in detail


def test_the_minamata_focal_point_approves_a_minamata_report_and_not_a_stockholm_one(
    secretariat,
):
    stockholm_ocp = _designated("stockholm", "official-contact-point", "ocp@ncm.test")
    minamata_nfp = _designated("minamata", "national-focal-point", "hg@ncm.test")
    report = services.report_start(round=_minamata(2027), actor=secretariat)
    _accept_everything(report, secretariat)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, actor=stockholm_ocp)
    approved = services.report_approve(report=report, actor=minamata_nfp)
    assert approved.status == Report.Status.APPROVED and approved.approved_by == minamata_nfp
    sixth = services.report_start(
        round=Round.objects.get(convention="stockholm", number=6), actor=secretariat
    )
    _accept_everything(sixth, secretariat)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=sixth, actor=minamata_nfp)


# --- Prefill -----------------------------------------------------------------------------------

# (date, flow, HS code, national code, partner, net mass)
MERCURY_LINES = [
    (D(2025, 3, 1), "import", "2805.40", "", "ES", "120.5"),  # mercury: specific
    (D(2025, 3, 9), "import", "2805.40.00", "", "ES", "30"),
    (D(2026, 1, 5), "export", "2805.40", "", "CH", "12"),
    (D(2025, 4, 2), "import", "2852.10", "", "DE", "7.25"),  # compounds: group
    (D(2025, 4, 3), "import", "2852.90", "", "IN", "2"),
    (D(2025, 5, 1), "import", "8506.30", "", "CN", "4"),  # mercuric oxide batteries: specific
    (D(2025, 5, 2), "import", "8539.31", "", "CN", "800"),  # fluorescent lamps: indicative
    (D(2026, 6, 2), "import", "8539.32", "", "PL", "150"),
    (D(2025, 7, 2), "import", "9025.11", "", "DE", "3"),  # thermometers: indicative
    (D(2025, 7, 3), "import", "2910.40", "", "DE", "10"),  # dieldrin: a POP, not mercury
    (D(2025, 7, 4), "import", "8471.30", "", "CN", "999"),  # neither
    (D(2022, 7, 4), "import", "2805.40", "", "ES", "999"),  # before the round's period
]


def _declared_under_mercury_codes(categories) -> dict:
    """(match, year, flow) -> net mass of the lines whose code a mercury code of ``categories``
    covers, read line by line."""
    totals = defaultdict(Decimal)
    for line in CustomsRecord.objects.all():
        found = prefill_conventions.resolve(line.hs_code)
        if found and found["category"] in categories and 2025 <= line.declared_on.year <= 2026:
            totals[(found["match"], line.declared_on.year, line.flow)] += line.net_mass_kg
    return totals


def _from_rows(rows) -> dict:
    totals = defaultdict(Decimal)
    for row in rows:
        totals[(row["match"], row["year"], row["flow"])] += Decimal(str(row["quantity_kg"]))
    return totals


def test_mercury_rows_add_up_to_the_customs_lines_each_counted_once_matches_kept_apart():
    load_lines(MERCURY_LINES, year=2026)
    round_ = _minamata(2027)  # 2025-2026
    substances, sources = prefill_conventions.mercury_rows(round_, prefill_conventions.SUBSTANCES)
    products, _ = prefill_conventions.mercury_rows(round_, prefill_conventions.PRODUCTS)
    assert _from_rows(substances) == _declared_under_mercury_codes(("mercury", "compounds"))
    assert _from_rows(products) == _declared_under_mercury_codes(("products",))
    assert sum(r["lines"] for r in substances) == 5 and sum(r["lines"] for r in products) == 4
    assert {(r["code"], r["match"]) for r in substances} == {
        ("2805.40", "specific"),
        ("2852.10", "group"),
        ("2852.90", "group"),
    }
    mercury_2025 = next(r for r in substances if r["code"] == "2805.40" and r["year"] == 2025)
    assert mercury_2025["quantity_kg"] == 150.5 and mercury_2025["partners"] == "ES"
    assert prefill_conventions.totals_by_match(substances) == {
        "specific": 162.5,
        "group": 9.25,
        "indicative": 0.0,
    }
    assert prefill_conventions.totals_by_match(products) == {
        "specific": 4.0,
        "group": 0.0,
        "indicative": 953.0,
    }
    assert [r["match"] for r in products] == sorted(
        (r["match"] for r in products), key=prefill_conventions.MATCH_ORDER.get
    )
    assert sources and sources[0]["rows"] == len(MERCURY_LINES)


def test_a_minamata_report_is_prefilled_with_its_contacts_mercury_and_workplan_tasks(secretariat):
    load_lines(MERCURY_LINES, year=2026)
    nfp = _designated("minamata", "national-focal-point", "hg@ncm.test")
    _designated("stockholm", "official-contact-point", "ocp@ncm.test")
    workplan = Workplan.objects.create(
        body=BodyFactory(),
        title="Workplan 2025-2026",
        period_start=D(2025, 1, 1),
        period_end=D(2026, 12, 31),
    )
    activity = Activity.objects.create(workplan=workplan, title="Mercury")
    lead = InstitutionFactory(name="Environmental Protection Agency")
    task = Task.objects.create(
        activity=activity,
        title="Mercury lamps inventory",
        lead_institution=lead,
        start_date=D(2025, 2, 1),
        due_date=D(2026, 6, 30),
    )
    task.conventions.set([convention_role("minamata", "national-focal-point").convention])
    other = Task.objects.create(
        activity=activity,
        title="PCB phase-out",
        lead_institution=lead,
        start_date=D(2025, 2, 1),
        due_date=D(2026, 6, 30),
    )
    other.conventions.set([convention_role("stockholm", "official-contact-point").convention])
    report = services.report_start(round=_minamata(2027), actor=secretariat)
    trade = Answer.objects.get(report=report, question__code="B-3-4")
    assert {r["code"] for r in trade.prefilled["rows"]} == {"2805.40", "2852.10", "2852.90"}
    assert trade.sources and all("dataset_version" in s for s in trade.sources)

    full = services.report_start(round=_minamata(2025), actor=secretariat)  # 2021-2024
    rows = Answer.objects.get(report=full, question__code="B-3-4").prefilled["rows"]
    assert [(r["code"], r["year"], r["quantity_kg"]) for r in rows] == [("2805.40", 2022, 999)]
    contacts = Answer.objects.get(report=full, question__code="A-2").prefilled["rows"]
    assert [c["name"] for c in contacts] == [nfp.person.name]
    tasks = Answer.objects.get(report=full, question__code="C-1").prefilled["rows"]
    assert [(t["task"], t["lead"]) for t in tasks] == [
        ("Mercury lamps inventory", "Environmental Protection Agency")
    ]
