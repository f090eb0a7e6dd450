"""Answers to an Article 15 report's questions: each value checked against its question's type, and
saved by the person the section is assigned to."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import User
from reporting import permissions as perms
from reporting.models import (
    Answer,
    Question,
    Report,
    SectionAssignment,
)
from reporting.services.article15 import (
    assignment_of,
    locked_report,
    record_event,
    refuse_if_locked,
    require,
)

AStatus = SectionAssignment.Status


def clean_value(question: Question, value):
    """The value as stored in JSON for the question's kind; None for an empty answer."""
    if value is None or value == "":
        return None
    kind = question.kind
    if kind == Question.Kind.YES_NO:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("yes", "true", "1"):
            return True
        if str(value).lower() in ("no", "false", "0"):
            return False
        raise ValidationError(_("Answer yes or no."), code="invalid")
    if kind == Question.Kind.NUMBER:
        return _clean_number(value)
    if kind == Question.Kind.DATE:
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date."), code="invalid") from None
    if kind == Question.Kind.CHOICE:
        if value not in question.choices:
            raise ValidationError(_("Choose one of the options."), code="invalid")
        return value
    if kind == Question.Kind.TABLE:
        return _clean_table(question, value)
    return str(value).strip() or None


def _clean_number(value):
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."), code="invalid")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_table(question: Question, value) -> dict | None:
    if not isinstance(value, dict) or not isinstance(value.get("rows", []), list):
        raise ValidationError(_("The table could not be read."), code="invalid")
    columns = {c["key"]: c.get("type", "text") for c in question.columns}
    rows = []
    for raw in value.get("rows", []):
        if not isinstance(raw, dict):
            raise ValidationError(_("The table could not be read."), code="invalid")
        row, flags = {}, {}
        for key, kind in columns.items():
            cell = raw.get(key)
            if kind == "bool":
                flags[key] = cell is True or str(cell).lower() in ("yes", "true", "1", "on")
                continue
            if cell is None or str(cell).strip() == "":
                continue
            row[key] = _clean_number(cell) if kind == "number" else str(cell).strip()
        if row or any(flags.values()):
            row.update(flags)
            if raw.get("chemical_slug"):
                row["chemical_slug"] = str(raw["chemical_slug"])
            rows.append(row)
    note = str(value.get("note", "") or "").strip()
    if not rows and not note:
        return None
    return {"rows": rows, "note": note}


def _normalized(question: Question, prefilled):
    """The computed value in the shape an entered one takes, so that both compare."""
    try:
        return clean_value(question, prefilled)
    except ValidationError:
        return prefilled


@transaction.atomic
def answer_save(
    *,
    report: Report,
    question: Question,
    value,
    actor: User,
    override_reason: str = "",
) -> Answer:
    """Record an answer. Where the portal prefilled the question, an answer that differs from
    the computed value is an override and needs a reason, which is kept with it; an empty answer
    falls back to the computed value."""
    report = locked_report(report)
    assignment = assignment_of(report, question.section)
    require(perms.may_answer_for(actor, assignment))
    refuse_if_locked(report)
    if not assignment.is_open():
        raise ValidationError(
            _("This section is %(status)s: it can be changed once the secretariat returns it.")
            % {"status": assignment.get_status_display().lower()},
            code="section_closed",
        )
    answer = Answer.objects.select_for_update().get(report=report, question=question)
    value = clean_value(question, value)
    computed = _normalized(question, answer.prefilled)
    if value is not None and value == computed:
        value = None  # the computed figure, confirmed: it follows the data when prefilled again
    override_reason = (override_reason or "").strip()
    overriding = computed is not None and value is not None
    if overriding and not override_reason and not answer.overridden:
        raise ValidationError(
            {
                "override_reason": _(
                    "This figure differs from what the portal computed from the accepted data: "
                    "say why it is replaced."
                )
            },
            code="override_reason_required",
        )
    was_overridden, previous_reason = answer.overridden, answer.override_reason
    answer.value = value
    answer.overridden = overriding
    answer.override_reason = (override_reason or previous_reason) if overriding else ""
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.full_clean()
    answer.save(
        update_fields=["value", "overridden", "override_reason", "answered_by", "answered_at"]
    )
    if overriding and (not was_overridden or answer.override_reason != previous_reason):
        record_event(
            report,
            "override",
            actor=actor,
            assignment=assignment,
            note=f"{question.code}: {answer.override_reason}",
        )
    elif was_overridden and not overriding:
        record_event(
            report, "override_withdrawn", actor=actor, assignment=assignment, note=question.code
        )
    else:
        record_event(report, "answer", actor=actor, assignment=assignment, note=question.code)
    if assignment.status in (AStatus.NOT_STARTED, AStatus.RETURNED):
        before = assignment.status
        assignment.status = AStatus.IN_PROGRESS
        assignment.save(update_fields=["status"])
        record_event(
            report,
            "section_started",
            actor=actor,
            assignment=assignment,
            from_state=before,
            to_state=assignment.status,
        )
    return answer
