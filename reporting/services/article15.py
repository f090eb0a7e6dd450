"""Article 15 national reports: start a report for a round, prefill it from what the mechanism
holds, assign its sections to institutions, answer and override, submit sections, review them,
approve (the official contact point), record the submission to the Convention's Secretariat, and
correct a submitted report with a new version. Every transition writes a ReportEvent in the same
transaction; an approved, submitted or superseded report refuses every edit.

Answers are saved by article15_answers, and group rows of the trade tables attributed by
article15_groups."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import Institution, User
from reporting import permissions as perms
from reporting import prefill as prefill_sources
from reporting.models import (
    Answer,
    GroupAttribution,
    Report,
    ReportEvent,
    Round,
    Section,
    SectionAssignment,
)
from reporting.obligations import reports as obligation_reports

AStatus = SectionAssignment.Status


def record_event(
    report: Report,
    action: str,
    *,
    actor=None,
    assignment=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> ReportEvent:
    """Write one audit row. Call inside the transaction that made the change."""
    return ReportEvent.objects.create(
        report=report,
        assignment=assignment,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def locked_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("round").get(pk=report.pk)


def refuse_if_locked(report: Report) -> None:
    if report.is_locked:
        raise ValidationError(
            _(
                "This report is %(status)s and can no longer be changed. To change what it "
                "says, start a correction: it makes a new version."
            )
            % {"status": report.get_status_display().lower()},
            code="locked",
        )


# --- Starting and prefilling ----------------------------------------------------------------


@transaction.atomic
def report_start(*, round: Round, actor: User) -> Report:
    """The first version of the round's report: one assignment per section (answered by the
    secretariat until assigned) and one answer per question, prefilled."""
    require(perms.can_manage_reports(actor))
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if Report.objects.filter(round=round_).exists():
        raise ValidationError(
            _("The %(round)s already has a report: open it, or correct it.")
            % {"round": round_.label},
            code="already_started",
        )
    sections = list(Section.objects.filter(round=round_).prefetch_related("questions"))
    if not sections:
        raise ValidationError(
            _("The %(round)s has no sections yet: an administrator sets its structure first.")
            % {"round": round_.label},
            code="no_structure",
        )
    report = Report(round=round_, version=1, created_by=actor)
    report.full_clean()
    report.save()
    SectionAssignment.objects.bulk_create(
        SectionAssignment(report=report, section=section) for section in sections
    )
    Answer.objects.bulk_create(
        Answer(report=report, question=question)
        for section in sections
        for question in section.questions.all()
    )
    record_event(report, "start", actor=actor, to_state=report.status)
    _prefill(report)
    return report


def _prefill(report: Report) -> int:
    sources = prefill_sources.Sources(round=report.round)
    now = timezone.now()
    answers = list(
        Answer.objects.filter(report=report)
        .exclude(question__prefill="")
        .select_related("question")
        .prefetch_related("attributions")
        .order_by("question__section__order", "question__order")
    )
    for answer in answers:
        value, used = prefill_sources.compute(
            answer.question, sources, attributions=answer.attributions.all()
        )
        answer.prefilled, answer.sources, answer.prefilled_at = value, used, now
    Answer.objects.bulk_update(answers, ["prefilled", "sources", "prefilled_at"])
    return len(answers)


@transaction.atomic
def report_prefill(*, report: Report, actor: User | None = None) -> Report:
    """Compute again every prefilled value of a draft report from the data accepted now. What
    people entered, and their overrides with reasons, stay."""
    if actor is not None:
        require(perms.can_manage_reports(actor))
    report = locked_report(report)
    refuse_if_locked(report)
    count = _prefill(report)
    record_event(
        report,
        "prefill",
        actor=actor,
        note=_("%(count)s prefilled answers computed again.") % {"count": count},
    )
    return report


def prefill(report: Report, *, actor: User | None = None) -> Report:
    return report_prefill(report=report, actor=actor)


# --- Sections ------------------------------------------------------------------------------


def assignment_of(report: Report, section: Section) -> SectionAssignment:
    return (
        SectionAssignment.objects.select_for_update(of=("self",))
        .select_related("report__round", "section", "institution")
        .get(report=report, section=section)
    )


@transaction.atomic
def section_assign(
    *,
    report: Report,
    section: Section,
    institution: Institution | None,
    due_on: datetime.date | None = None,
    actor: User,
) -> SectionAssignment:
    """Give a section to an institution (None: the secretariat answers it). Moving it to
    another institution starts it afresh; its answers stay."""
    require(perms.can_manage_reports(actor))
    report = locked_report(report)
    refuse_if_locked(report)
    assignment = assignment_of(report, section)
    if not assignment.can_reassign():
        raise ValidationError(
            _("This section is accepted: return it before giving it to someone else."),
            code="accepted",
        )
    before = assignment.status
    if assignment.institution_id != (institution.pk if institution else None):
        assignment.status = AStatus.NOT_STARTED
        assignment.submitted_at = None
    assignment.institution, assignment.due_on = institution, due_on
    assignment.full_clean()
    assignment.save(update_fields=["institution", "due_on", "status", "submitted_at"])
    record_event(
        report,
        "assign",
        actor=actor,
        assignment=assignment,
        from_state=before,
        to_state=assignment.status,
        note=_("%(section)s assigned to %(institution)s")
        % {
            "section": section.code,
            "institution": institution.name if institution else _("the secretariat"),
        },
    )
    return assignment


@transaction.atomic
def section_submit(*, report: Report, section: Section, actor: User) -> SectionAssignment:
    """The answering institution hands the section to the secretariat for review."""
    report = locked_report(report)
    assignment = assignment_of(report, section)
    require(perms.may_answer_for(actor, assignment))
    refuse_if_locked(report)
    if not assignment.is_open():
        raise ValidationError(_("This section is already submitted."), code="not_open")
    before = assignment.status
    assignment.status, assignment.submitted_at = AStatus.SUBMITTED, timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    record_event(
        report,
        "section_submit",
        actor=actor,
        assignment=assignment,
        from_state=before,
        to_state=assignment.status,
    )
    return assignment


REVIEW_ACTIONS = ("comment", "return", "accept")


@transaction.atomic
def section_review(
    *,
    report: Report,
    section: Section,
    action: str,
    actor: User,
    comment: str = "",
) -> SectionAssignment:
    """The secretariat comments on a section, returns it with a reason, or accepts it. An
    accepted section may be returned again (to correct it) until the report is approved."""
    if action not in REVIEW_ACTIONS:
        raise ValidationError(_("Unknown review action."), code="invalid_action")
    require(perms.can_manage_reports(actor))
    report = locked_report(report)
    refuse_if_locked(report)
    assignment = assignment_of(report, section)
    comment = (comment or "").strip()
    before = assignment.status
    if action == "comment":
        if not comment:
            raise ValidationError({"comment": _("Write the comment.")}, code="required")
    elif action == "return":
        if not comment:
            raise ValidationError(
                {"comment": _("Say why the section is returned.")}, code="reason_required"
            )
        if not assignment.can_return():
            raise ValidationError(
                _("Only a submitted or accepted section can be returned."), code="not_submitted"
            )
        assignment.status, assignment.accepted_at = AStatus.RETURNED, None
    else:
        if not assignment.can_accept():
            raise ValidationError(
                _("Only a submitted section can be accepted."), code="not_submitted"
            )
        assignment.status, assignment.accepted_at = AStatus.ACCEPTED, timezone.now()
    if comment:
        assignment.comment = comment
    assignment.save(update_fields=["status", "accepted_at", "comment"])
    record_event(
        report,
        f"section_{action}",
        actor=actor,
        assignment=assignment,
        from_state=before,
        to_state=assignment.status,
        note=comment,
    )
    return assignment


# --- The report ----------------------------------------------------------------------------


@transaction.atomic
def report_approve(*, report: Report, actor: User) -> Report:
    """The official contact point approves the report once every section is accepted; from
    then on the report is locked."""
    convention = report.round.convention
    if not perms.is_report_approver(actor, convention):
        if convention == "stockholm":
            raise PermissionDenied(
                _(
                    "Only the official contact point of the Stockholm Convention approves the "
                    "report."
                )
            )
        raise PermissionDenied(
            _("Only %(approver)s approves the report.")
            % {"approver": report.round.kind.approver_label}
        )
    report = locked_report(report)
    refuse_if_locked(report)
    waiting = list(
        SectionAssignment.objects.filter(report=report)
        .exclude(status=AStatus.ACCEPTED)
        .order_by("section__order")
        .values_list("section__code", flat=True)
    )
    if waiting:
        raise ValidationError(
            _("Every section must be accepted first; still open: %(codes)s.")
            % {"codes": ", ".join(waiting)},
            code="sections_open",
        )
    before = report.status
    report.status, report.approved_at, report.approved_by = (
        Report.Status.APPROVED,
        timezone.now(),
        actor,
    )
    report.full_clean()
    report.save(update_fields=["status", "approved_at", "approved_by"])
    record_event(report, "approve", actor=actor, from_state=before, to_state=report.status)
    return report


@transaction.atomic
def report_mark_submitted(
    *, report: Report, submitted_on: datetime.date, reference: str, actor: User
) -> Report:
    """Record that the approved report was transmitted through the Convention's Electronic
    Reporting System, on which day and under which reference; the obligation of the register it
    meets is recorded as met with it (``obligations.reports``)."""
    require(
        perms.can_manage_reports(actor) or perms.is_report_approver(actor, report.round.convention)
    )
    report = locked_report(report)
    if not report.can_mark_submitted():
        raise ValidationError(
            _("Only an approved report can be marked as submitted."), code="not_approved"
        )
    if submitted_on > timezone.localdate():
        raise ValidationError(
            {"submitted_on": _("The date cannot be in the future.")}, code="future"
        )
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(
            {"reference": _("Give the reference of the submission.")}, code="required"
        )
    before = report.status
    report.status, report.submitted_on, report.submission_reference = (
        Report.Status.SUBMITTED,
        submitted_on,
        reference,
    )
    report.full_clean()
    report.save(update_fields=["status", "submitted_on", "submission_reference"])
    record_event(
        report,
        "submit",
        actor=actor,
        from_state=before,
        to_state=report.status,
        note=f"{submitted_on.isoformat()} {reference}",
    )
    obligation_reports.report_submitted(report=report, actor=actor)
    return report


@transaction.atomic
def report_correct(*, report: Report, reason: str, actor: User) -> Report:
    """A new draft version of an approved or submitted report, with its answers, sources,
    overrides, attributions of group rows and assignments copied (each section accepted, to be
    returned where it changes). The old version becomes superseded and stays readable."""
    require(perms.can_manage_reports(actor))
    report = locked_report(report)
    if not report.can_correct():
        raise ValidationError(
            _("Only an approved or submitted report can be corrected."), code="not_final"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the report is corrected.")}, code="reason_required"
        )
    latest = Report.objects.filter(round=report.round).aggregate(v=Max("version"))["v"]
    new = Report(
        round=report.round,
        version=latest + 1,
        corrects=report,
        correction_reason=reason,
        created_by=actor,
    )
    new.full_clean()
    new.save()
    now = timezone.now()
    SectionAssignment.objects.bulk_create(
        SectionAssignment(
            report=new,
            section_id=a.section_id,
            institution_id=a.institution_id,
            status=AStatus.ACCEPTED,
            due_on=a.due_on,
            comment=a.comment,
            submitted_at=a.submitted_at,
            accepted_at=now,
        )
        for a in report.assignments.all()
    )
    Answer.objects.bulk_create(
        Answer(
            report=new,
            question_id=a.question_id,
            value=a.value,
            prefilled=a.prefilled,
            sources=a.sources,
            overridden=a.overridden,
            override_reason=a.override_reason,
            answered_by_id=a.answered_by_id,
            answered_at=a.answered_at,
            prefilled_at=a.prefilled_at,
        )
        for a in report.answers.all()
    )
    # The attributions of group rows go with their answers, as overrides do.
    copied = {a.question_id: a.pk for a in Answer.objects.filter(report=new)}
    GroupAttribution.objects.bulk_create(
        GroupAttribution(
            answer_id=copied[g.answer.question_id],
            code=g.code,
            national=g.national,
            year=g.year,
            flow=g.flow,
            shares=g.shares,
            quantity_kg=g.quantity_kg,
            reason=g.reason,
            attributed_by_id=g.attributed_by_id,
            attributed_at=g.attributed_at,
        )
        for g in GroupAttribution.objects.filter(answer__report=report).select_related("answer")
    )
    before = report.status
    report.status = Report.Status.SUPERSEDED
    report.save(update_fields=["status"])
    record_event(
        report,
        "superseded",
        actor=actor,
        from_state=before,
        to_state=report.status,
        note=_("Corrected by version %(version)s: %(reason)s")
        % {"version": new.version, "reason": reason},
    )
    record_event(
        new,
        "correction_start",
        actor=actor,
        to_state=new.status,
        note=_("Corrects version %(version)s: %(reason)s")
        % {"version": report.version, "reason": reason},
    )
    return new


# --- Group rows of the trade table ----------------------------------------------------------
