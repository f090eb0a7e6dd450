"""The state predicates of national reports, their sections and outputs: each one is true where
its service acts and false where the service refuses, by the same rule."""

import pytest
from django.core.exceptions import ValidationError

from reporting import permissions
from reporting.models import Report, ReportOutput, SectionAssignment
from reporting.services import article15 as services
from tests.factories import days_from_today

pytestmark = pytest.mark.django_db


def _refused(call, code=None, **kwargs):
    with pytest.raises(ValidationError) as refusal:
        call(**kwargs)
    if code is not None:
        assert refusal.value.code == code
    return refusal.value


def _assignment(report, code="A") -> SectionAssignment:
    return report.assignments.select_related("section").get(section__code=code)


def _accept_everything(report, actor):
    for assignment in report.assignments.select_related("section"):
        services.section_submit(report=report, section=assignment.section, actor=actor)
        services.section_review(
            report=report, section=assignment.section, action="accept", actor=actor
        )


def test_an_open_section_is_submitted_once(draft, secretariat):
    assignment = _assignment(draft)
    assert assignment.is_open()
    assert permissions.can_answer(secretariat, assignment)
    services.section_submit(report=draft, section=assignment.section, actor=secretariat)
    assignment = _assignment(draft)
    assert not assignment.is_open()
    assert not permissions.can_answer(secretariat, assignment)
    _refused(
        services.section_submit,
        "not_open",
        report=draft,
        section=assignment.section,
        actor=secretariat,
    )


def test_a_submitted_section_is_accepted_and_an_accepted_one_returned(draft, secretariat):
    section = _assignment(draft).section
    assignment = _assignment(draft)
    assert not assignment.can_accept() and not assignment.can_return()
    _refused(
        services.section_review,
        "not_submitted",
        report=draft,
        section=section,
        action="accept",
        actor=secretariat,
    )
    _refused(
        services.section_review,
        "not_submitted",
        report=draft,
        section=section,
        action="return",
        comment="Why",
        actor=secretariat,
    )

    services.section_submit(report=draft, section=section, actor=secretariat)
    assignment = _assignment(draft)
    assert assignment.can_accept() and assignment.can_return()
    services.section_review(report=draft, section=section, action="accept", actor=secretariat)

    assignment = _assignment(draft)
    assert not assignment.can_accept() and assignment.can_return()
    assert not assignment.can_reassign()
    _refused(
        services.section_review,
        "not_submitted",
        report=draft,
        section=section,
        action="accept",
        actor=secretariat,
    )
    _refused(
        services.section_assign,
        "accepted",
        report=draft,
        section=section,
        institution=None,
        actor=secretariat,
    )
    services.section_review(
        report=draft, section=section, action="return", comment="Fix it", actor=secretariat
    )

    assignment = _assignment(draft)
    assert assignment.is_returned and assignment.is_open()
    assert not assignment.can_return() and assignment.can_reassign()
    _refused(
        services.section_review,
        "not_submitted",
        report=draft,
        section=section,
        action="return",
        comment="Again",
        actor=secretariat,
    )
    services.section_assign(report=draft, section=section, institution=None, actor=secretariat)


def test_only_an_approved_report_is_marked_submitted_and_a_final_one_corrected(
    draft, secretariat, contact_point
):
    assert not draft.is_locked and permissions.can_approve(contact_point, draft)
    assert not draft.can_mark_submitted() and not draft.can_correct()
    _refused(
        services.report_mark_submitted,
        "not_approved",
        report=draft,
        submitted_on=days_from_today(-1),
        reference="ERS",
        actor=secretariat,
    )
    _refused(services.report_correct, "not_final", report=draft, reason="Typo", actor=secretariat)

    _accept_everything(draft, secretariat)
    approved = services.report_approve(report=draft, actor=contact_point)
    assert approved.is_locked and not permissions.can_approve(contact_point, approved)
    _refused(services.report_approve, "locked", report=approved, actor=contact_point)
    assert approved.can_mark_submitted() and approved.can_correct()
    submitted = services.report_mark_submitted(
        report=approved, submitted_on=days_from_today(-1), reference="ERS", actor=secretariat
    )
    assert not submitted.can_mark_submitted() and submitted.can_correct()
    _refused(
        services.report_mark_submitted,
        "not_approved",
        report=submitted,
        submitted_on=days_from_today(-1),
        reference="ERS",
        actor=secretariat,
    )

    services.report_correct(report=submitted, reason="Typo", actor=secretariat)
    submitted.refresh_from_db()
    assert submitted.is_superseded and not submitted.can_correct()
    _refused(
        services.report_correct, "not_final", report=submitted, reason="Again", actor=secretariat
    )


def test_badges_and_outputs_read_their_state():
    assert Report(status=Report.Status.DRAFT).status_tone == "info"
    assert Report(status=Report.Status.SUPERSEDED).status_tone == "secondary"
    assert SectionAssignment(status=SectionAssignment.Status.RETURNED).status_tone == "warning"
    output = ReportOutput()
    assert output.is_pending and not output.is_ready
    output.status = ReportOutput.Status.READY
    assert output.is_ready and not output.is_pending and not output.has_failed
