"""Article 15 national reports: the reference rounds and structure, starting a report with its
prefilled figures (imports and exports from accepted customs datasets only), answering and
overriding, the review of sections, approval by the official contact point, the lock, the
submission and the correction that makes a new version. Every transition is audited."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from inventories.models import Chemical, CustomsRecord
from inventories.selectors_data import customs_lines_for_total
from reporting.models import (
    Answer,
    Question,
    Report,
    ReportEvent,
    Round,
    Section,
    SectionAssignment,
)
from reporting.services import article15 as services
from reporting.services.article15_answers import answer_save
from tests.factories import days_from_today

pytestmark = pytest.mark.django_db
Status = SectionAssignment.Status


def _answer(report, code) -> Answer:
    return Answer.objects.select_related("question").get(report=report, question__code=code)


def _question(report, code) -> Question:
    return Question.objects.select_related("section").get(section__round=report.round, code=code)


def _section(report, code) -> Section:
    return Section.objects.get(round=report.round, code=code)


def _accept_everything(report, actor):
    for assignment in report.assignments.select_related("section"):
        services.section_submit(report=report, section=assignment.section, actor=actor)
        services.section_review(
            report=report, section=assignment.section, action="accept", actor=actor
        )


# --- Reference data ----------------------------------------------------------------------------


def test_the_seven_rounds_carry_their_deadlines_decisions_and_the_seventh_is_marked_inferred():
    rounds = {r.number: r for r in Round.objects.filter(convention="stockholm")}
    assert sorted(rounds) == [1, 2, 3, 4, 5, 6, 7]
    assert rounds[1].deadline == datetime.date(2006, 12, 31)
    assert rounds[1].due == datetime.date(2007, 7, 31)
    assert rounds[2].due == datetime.date(2011, 7, 31)
    assert [rounds[n].deadline for n in (3, 4, 5, 6)] == [
        datetime.date(2014, 8, 31),
        datetime.date(2018, 8, 31),
        datetime.date(2022, 8, 31),
        datetime.date(2026, 8, 31),
    ]
    assert (rounds[6].decision, rounds[6].considered_at) == ("SC-12/19", "COP-13")
    assert rounds[7].deadline == datetime.date(2030, 8, 31)
    assert "inferred" in rounds[7].source.lower() and "unconfirmed" in rounds[7].source.lower()
    assert all(r.source for r in rounds.values())


def test_the_sixth_round_has_parts_a_b_c_with_questions_of_every_kind_and_prefill_sources(sixth):
    sections = list(sixth.sections.order_by("order"))
    assert [s.code for s in sections] == ["A", "B-I", "B-II", "B-III", "B-IV", "B-V", "B-VI", "C"]
    assert {s.part for s in sections} == {"A", "B", "C"}
    questions = Question.objects.filter(section__round=sixth)
    assert set(questions.values_list("kind", flat=True)) == set(Question.Kind.values)
    assert set(questions.exclude(prefill="").values_list("prefill", flat=True)) == {
        "party",
        "nip",
        "trade",
        "releases",
        "pcb",
        "monitoring",
    }
    trade = questions.get(prefill="trade")
    assert trade.section.code == "B-II" and trade.kind == Question.Kind.TABLE
    assert {"chemical", "year", "flow", "quantity_kg", "partners", "estimate"} <= {
        c["key"] for c in trade.columns
    }
    releases = questions.get(prefill="releases")
    assert {"air", "water", "land", "product", "residue"} <= {c["key"] for c in releases.columns}
    pcb = questions.filter(prefill="pcb", section__code="C")
    assert pcb.count() == 2
    choice = questions.get(kind=Question.Kind.CHOICE)
    assert choice.choices


# --- Starting and prefilling -------------------------------------------------------------------


def test_starting_a_report_makes_one_assignment_per_section_and_one_answer_per_question(
    draft, secretariat
):
    assert draft.version == 1 and draft.status == Report.Status.DRAFT
    assert draft.assignments.count() == draft.round.sections.count()
    assert draft.answers.count() == Question.objects.filter(section__round=draft.round).count()
    assert set(draft.assignments.values_list("status", flat=True)) == {Status.NOT_STARTED}
    assert draft.events.filter(action="start", actor=secretariat).exists()
    with pytest.raises(ValidationError) as refused:
        services.report_start(round=draft.round, actor=secretariat)
    assert refused.value.code == "already_started"


def test_only_those_who_manage_reports_start_one(sixth, viewer, customs_focal):
    for user in (viewer, customs_focal):
        with pytest.raises(PermissionDenied):
            services.report_start(round=sixth, actor=user)
    assert not Report.objects.exists()


def _row_key(row) -> tuple:
    return (row["chemical_slug"] or row["code"], row["year"], row["flow"], row["match"])


def _accepted_totals(report) -> dict:
    """(slug or code, year, flow, match) -> kg, from the accepted customs lines themselves."""
    totals = defaultdict(Decimal)
    for row in _answer(report, "B-II-6").prefilled["rows"]:
        if row.get("code"):
            lines = customs_lines_for_total(
                code=row["code"],
                national=row.get("national", False),
                year=row["year"],
                flow=row["flow"],
                match=row["match"],
            )
        else:
            lines = customs_lines_for_total(
                chemical=Chemical.objects.get(slug=row["chemical_slug"]),
                year=row["year"],
                flow=row["flow"],
                match=row["match"],
            )
        totals[_row_key(row)] = lines.aggregate(kg=Sum("net_mass_kg"))["kg"]
    return totals


def test_trade_totals_per_chemical_equal_the_accepted_customs_lines_and_ignore_others(
    draft, accepted_customs
):
    rows = _answer(draft, "B-II-6").prefilled["rows"]
    groups = {(r["code"], r["year"], r["flow"]): r for r in rows if r["match"] == "group"}
    # 3824.82 names PCB and PBB: 100.5 + 50.25 imported from DE and FR, 20 exported to NL, in a
    # row of its own, never added to the total of PCB nor of hexabromobiphenyl.
    imported = groups[("3824.82", 2025, "import")]
    assert imported["quantity_kg"] == 150.75
    assert imported["partners"] == "DE, FR"
    assert imported["lines"] == 2
    assert "PCB" in imported["chemical"] and "HS 3824.82" in imported["chemical"]
    assert groups[("3824.82", 2025, "export")]["quantity_kg"] == 20
    assert groups[("3824.82", 2025, "export")]["partners"] == "NL"
    assert not any(r["chemical_slug"] in ("pcb", "hexabromobiphenyl") for r in rows)
    # The dataset awaiting review (2023, 777777 kg) counts nowhere.
    assert all(r["year"] != 2023 for r in rows)
    assert all(r["quantity_kg"] != 777777 for r in rows)
    # Every row equals the sum of the customs lines its link shows.
    for row in rows:
        assert Decimal(str(row["quantity_kg"])) == _accepted_totals(draft)[_row_key(row)]
    # Only chemicals of Annex A or B are listed (Article 15(2)).
    slugs = {r["chemical_slug"] for r in rows if r["chemical_slug"]}
    assert not Chemical.objects.filter(slug__in=slugs, annex_a=False, annex_b=False).exists()
    # Not-a-POP lines (8471.30) do not appear anywhere, and the table adds up to the rest.
    everything = CustomsRecord.objects.filter(version__in=accepted_customs["accepted"])
    matched = everything.exclude(hs_code="8471.30").aggregate(kg=Sum("net_mass_kg"))["kg"]
    assert Decimal(str(sum(r["quantity_kg"] for r in rows))) == matched


def test_each_prefilled_answer_lists_its_dataset_versions_with_their_hash(draft, accepted_customs):
    sources = _answer(draft, "B-II-6").sources
    assert {s["dataset_version"] for s in sources} == {v.pk for v in accepted_customs["accepted"]}
    assert {s["sha256"] for s in sources} == {"a1" * 32, "b2" * 32}
    assert all(s["institution"] == "Customs Service of Veridia" for s in sources)
    assert accepted_customs["pending"].sha256 not in {s["sha256"] for s in sources}


def test_party_and_nip_questions_are_prefilled_from_the_registry(draft, contact_point, settings):
    services.report_prefill(report=draft)
    assert _answer(draft, "A-1").prefilled == settings.NCM_COUNTRY_NAME
    contacts = _answer(draft, "A-2").prefilled["rows"]
    assert [c["name"] for c in contacts] == [contact_point.person.name]
    assert contacts[0]["role"] == "Official contact point"
    # No NIP cycle in this mechanism: nothing is claimed either way.
    assert _answer(draft, "B-I-1").prefilled is None
    assert draft.events.filter(action="prefill").exists()


def test_prefill_follows_a_dataset_accepted_later(draft, customs_service, secretariat):
    from tests.reporting.article15_helpers import customs_version

    customs_version(
        customs_service,
        year=2022,
        sha="d4" * 32,
        lines=[
            (datetime.date(2022, 9, 9), "import", "3824.82", "JP", "5"),
        ],
    )
    services.report_prefill(report=draft, actor=secretariat)
    rows = _answer(draft, "B-II-6").prefilled["rows"]
    assert any(r["year"] == 2022 and r["partners"] == "JP" for r in rows)
    assert "d4" * 32 in {s["sha256"] for s in _answer(draft, "B-II-6").sources}


# --- Answers and overrides ---------------------------------------------------------------------


def test_an_overridden_figure_needs_a_reason_and_keeps_it(draft, secretariat):
    question = _question(draft, "B-II-6")
    rows = [dict(r) for r in _answer(draft, "B-II-6").prefilled["rows"]]
    rows[0]["quantity_kg"] = 1.5
    with pytest.raises(ValidationError) as refused:
        answer_save(
            report=draft, question=question, actor=secretariat, value={"rows": rows, "note": ""}
        )
    assert (
        "differs from what the portal computed" in refused.value.message_dict["override_reason"][0]
    )
    answer_save(
        report=draft,
        question=question,
        actor=secretariat,
        value={"rows": rows, "note": ""},
        override_reason="Customs double-counted a re-export",
    )
    answer = _answer(draft, "B-II-6")
    assert answer.overridden and answer.override_reason == "Customs double-counted a re-export"
    assert answer.effective["rows"][0]["quantity_kg"] == 1.5
    # Computing the figures again keeps the override and its reason.
    services.report_prefill(report=draft, actor=secretariat)
    answer.refresh_from_db()
    assert answer.overridden and answer.override_reason == "Customs double-counted a re-export"
    assert answer.prefilled["rows"][0]["quantity_kg"] != 1.5
    assert draft.events.filter(action="override", note__contains="re-export").exists()


def test_confirming_the_computed_figure_is_no_override(draft, secretariat):
    answer = _answer(draft, "B-II-6")
    answer_save(report=draft, question=answer.question, actor=secretariat, value=answer.prefilled)
    answer.refresh_from_db()
    assert answer.value is None and not answer.overridden
    assert answer.effective == answer.prefilled


def test_answers_of_each_kind_are_stored_in_their_shape(draft, secretariat):
    cases = {
        "B-II-1": ("yes", True),
        "A-4": ("2026-05-04", "2026-05-04"),
        "B-V-4": ("7", 7),
        "C-4": ("12.5", 12.5),
        "B-II-7": ("Customs statistics", "Customs statistics"),
        "A-3": ("  The customs service  ", "The customs service"),
    }
    for code, (given, stored) in cases.items():
        answer_save(report=draft, question=_question(draft, code), value=given, actor=secretariat)
        assert _answer(draft, code).value == stored
    with pytest.raises(ValidationError):
        answer_save(
            report=draft, question=_question(draft, "B-II-7"), value="Guess", actor=secretariat
        )
    table = _question(draft, "B-V-2")
    answer_save(
        report=draft,
        question=table,
        actor=secretariat,
        value={
            "rows": [
                {"chemical": "DDT", "quantity_kg": "1250", "managed": "on"},
                {"chemical": "", "quantity_kg": ""},
            ],
            "note": "Obsolete stocks",
        },
    )
    assert _answer(draft, "B-V-2").value == {
        "rows": [{"chemical": "DDT", "quantity_kg": 1250, "managed": True}],
        "note": "Obsolete stocks",
    }
    assert _answer(draft, "B-V-2").answered_by == secretariat
    assignment = draft.assignments.get(section__code="B-V")
    assert assignment.status == Status.IN_PROGRESS


def test_a_focal_point_answers_only_the_section_assigned_to_their_institution(
    draft, secretariat, customs_service, customs_focal, health_focal
):
    section = _section(draft, "B-II")
    services.section_assign(
        report=draft,
        section=section,
        institution=customs_service,
        actor=secretariat,
        due_on=days_from_today(-5),
    )
    question = _question(draft, "B-II-1")
    with pytest.raises(PermissionDenied):
        answer_save(report=draft, question=question, value=True, actor=health_focal)
    # Nor a section left to the secretariat.
    with pytest.raises(PermissionDenied):
        answer_save(report=draft, question=_question(draft, "A-3"), value="x", actor=customs_focal)
    # The secretariat does not answer for the institution either.
    with pytest.raises(PermissionDenied):
        answer_save(report=draft, question=question, value=True, actor=secretariat)
    answer_save(report=draft, question=question, value=True, actor=customs_focal)
    assert _answer(draft, "B-II-1").value is True
    assert draft.events.filter(action="assign", assignment__section=section).exists()


# --- Review ------------------------------------------------------------------------------------


def test_the_secretariat_comments_returns_with_a_reason_and_accepts(
    draft, secretariat, customs_service, customs_focal
):
    section = _section(draft, "B-II")
    services.section_assign(
        report=draft, section=section, institution=customs_service, actor=secretariat
    )
    answer_save(report=draft, question=_question(draft, "B-II-1"), value=True, actor=customs_focal)
    services.section_submit(report=draft, section=section, actor=customs_focal)
    with pytest.raises(ValidationError):  # a submitted section is closed to its answerers
        answer_save(
            report=draft, question=_question(draft, "B-II-2"), value=True, actor=customs_focal
        )
    services.section_review(
        report=draft, section=section, action="comment", comment="Check 2024.", actor=secretariat
    )
    with pytest.raises(ValidationError) as refused:
        services.section_review(report=draft, section=section, action="return", actor=secretariat)
    assert refused.value.message_dict["comment"] == ["Say why the section is returned."]
    reason = "Give the partner States for 2024."
    services.section_review(
        report=draft, section=section, action="return", comment=reason, actor=secretariat
    )
    assignment = draft.assignments.get(section=section)
    assert assignment.status == Status.RETURNED
    assert assignment.comment == "Give the partner States for 2024."
    with pytest.raises(PermissionDenied):
        services.section_review(report=draft, section=section, action="accept", actor=customs_focal)
    answer_save(report=draft, question=_question(draft, "B-II-2"), value=True, actor=customs_focal)
    services.section_submit(report=draft, section=section, actor=customs_focal)
    services.section_review(report=draft, section=section, action="accept", actor=secretariat)
    assignment.refresh_from_db()
    assert assignment.status == Status.ACCEPTED and assignment.accepted_at
    actions = list(draft.events.filter(assignment=assignment).values_list("action", flat=True))
    for action in (
        "assign",
        "section_submit",
        "section_comment",
        "section_return",
        "section_accept",
    ):
        assert action in actions


# --- Approval, lock, submission, correction ----------------------------------------------------


def test_only_the_official_contact_point_approves_and_only_once_every_section_is_accepted(
    draft, secretariat, contact_point, health_focal
):
    for user in (secretariat, health_focal):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=draft, actor=user)
    with pytest.raises(ValidationError) as refused:
        services.report_approve(report=draft, actor=contact_point)
    assert refused.value.code == "sections_open"
    _accept_everything(draft, secretariat)
    approved = services.report_approve(report=draft, actor=contact_point)
    assert approved.status == Report.Status.APPROVED and approved.approved_by == contact_point
    assert draft.events.filter(action="approve", actor=contact_point, to_state="approved").exists()


def test_a_designation_that_has_ended_no_longer_approves(draft, secretariat, contact_point):
    designation = contact_point.person.designations.get()
    designation.end_date = timezone.localdate() - datetime.timedelta(days=30)
    designation.save(update_fields=["end_date"])
    _accept_everything(draft, secretariat)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=draft, actor=contact_point)


@pytest.fixture
def approved(draft, secretariat, contact_point):
    _accept_everything(draft, secretariat)
    return services.report_approve(report=draft, actor=contact_point)


def test_a_locked_report_refuses_every_edit(approved, secretariat, customs_service):
    report = approved
    section = _section(report, "B-II")
    attempts = [
        lambda: answer_save(
            report=report, question=_question(report, "A-3"), value="late", actor=secretariat
        ),
        lambda: services.section_assign(
            report=report, section=section, institution=customs_service, actor=secretariat
        ),
        lambda: services.section_review(
            report=report, section=section, action="return", comment="Reopen", actor=secretariat
        ),
        lambda: services.report_prefill(report=report, actor=secretariat),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "locked"
        assert "can no longer be changed" in refused.value.messages[0]
    assert _answer(report, "A-3").value is None


def test_the_submission_is_recorded_with_its_date_and_reference(approved, secretariat):
    with pytest.raises(ValidationError):
        services.report_mark_submitted(
            report=approved, submitted_on=days_from_today(-108), reference="", actor=secretariat
        )
    report = services.report_mark_submitted(
        report=approved,
        submitted_on=days_from_today(-108),
        reference="ERS-6-VRD",
        actor=secretariat,
    )
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert (report.submitted_on, report.submission_reference) == (
        days_from_today(-108),
        "ERS-6-VRD",
    )
    assert report.events.filter(action="submit", from_state="approved").exists()


def test_a_correction_makes_a_new_version_copying_the_answers_and_supersedes_the_old(
    draft, secretariat, contact_point
):
    answer_save(report=draft, question=_question(draft, "A-3"), value="Customs", actor=secretariat)
    rows = [dict(r) for r in _answer(draft, "B-II-6").prefilled["rows"]]
    rows[0]["quantity_kg"] = 3
    answer_save(
        report=draft,
        question=_question(draft, "B-II-6"),
        actor=secretariat,
        value={"rows": rows, "note": ""},
        override_reason="Re-export",
    )
    _accept_everything(draft, secretariat)
    services.report_approve(report=draft, actor=contact_point)
    services.report_mark_submitted(
        report=draft, submitted_on=days_from_today(-98), reference="ERS-1", actor=secretariat
    )
    with pytest.raises(ValidationError):
        services.report_correct(report=draft, reason=" ", actor=secretariat)
    new = services.report_correct(report=draft, reason="Wrong PCB export", actor=secretariat)
    draft.refresh_from_db()
    assert draft.status == Report.Status.SUPERSEDED
    assert (new.version, new.status, new.corrects, new.correction_reason) == (
        2,
        Report.Status.DRAFT,
        draft,
        "Wrong PCB export",
    )
    assert _answer(new, "A-3").value == "Customs"
    copied = _answer(new, "B-II-6")
    assert copied.overridden and copied.override_reason == "Re-export"
    assert copied.sources == _answer(draft, "B-II-6").sources
    assert new.answers.count() == draft.answers.count()
    # The old version stays as it was, and closed.
    assert _answer(draft, "A-3").value == "Customs"
    with pytest.raises(ValidationError):
        answer_save(report=draft, question=_question(draft, "A-3"), value="x", actor=secretariat)
    # The new version is edited after the secretariat reopens a section.
    section = _section(new, "A")
    services.section_review(
        report=new,
        section=section,
        action="return",
        comment="Correct the contributors",
        actor=secretariat,
    )
    answer_save(report=new, question=_question(new, "A-3"), value="Customs, EPA", actor=secretariat)
    assert _answer(new, "A-3").value == "Customs, EPA"
    assert _answer(draft, "A-3").value == "Customs"
    assert ReportEvent.objects.filter(report=draft, action="superseded").exists()
    assert ReportEvent.objects.filter(report=new, action="correction_start").exists()


def test_every_transition_is_audited_with_its_states(approved):
    events = approved.events.all()
    assert events.filter(action="start", to_state="draft").exists()
    accepted = events.filter(action="section_accept", from_state="submitted", to_state="accepted")
    assert accepted.count() == approved.assignments.count()
    assert all(e.actor_id for e in events)
