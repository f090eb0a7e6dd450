"""Group rows of the Article 15 trade tables: customs lines of a group of codes attributed to one
chemical, or withdrawn from it, and the answers they feed computed again."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import User
from reporting import permissions as perms
from reporting import prefill as prefill_sources
from reporting.models import (
    Answer,
    GroupAttribution,
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


def _trade_group_row(report: Report, *, code: str, national: bool, year: int, flow: str) -> dict:
    rows, _used = prefill_sources.trade_rows(report.round)
    key = (code, bool(national), year, flow)
    for row in rows:
        if row["match"] == "group" and prefill_sources.group_key(row) == key:
            return row
    raise ValidationError(
        _("No customs lines are counted under this group code in that year and flow."),
        code="no_group_row",
    )


def _open_trade_answer(report: Report, question: Question, actor: User) -> Answer:
    if question.prefill != Question.Prefill.TRADE or question.section.round_id != report.round_id:
        raise ValidationError(_("Only the trade table has group rows."), code="not_trade")
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
    answer.assignment = assignment
    return answer


def _compute_again(answer: Answer, report: Report) -> None:
    sources = prefill_sources.Sources(round=report.round)
    answer.prefilled, answer.sources = prefill_sources.compute(
        answer.question, sources, attributions=list(answer.attributions.all())
    )
    answer.prefilled_at = timezone.now()
    answer.save(update_fields=["prefilled", "sources", "prefilled_at"])


@transaction.atomic
def group_attribute(
    *,
    report: Report,
    question: Question,
    code: str,
    national: bool,
    year: int,
    flow: str,
    shares: dict,
    reason: str,
    actor: User,
) -> GroupAttribution:
    """Attribute a group row of the trade table (the lines under a code that names several
    chemicals, in one year and flow) to its chemicals: ``shares`` maps each chemical's code to
    its quantity in kg, or one chemical to None for the whole row. The quantities must add up to
    the row, so that the table still adds up to the declarations; a reason is required. Kept with
    the answer like an override, and written to the report's trail."""
    report = locked_report(report)
    answer = _open_trade_answer(report, question, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why the row is attributed, from the declarations' descriptions."),
            code="reason_required",
        )
    row = _trade_group_row(report, code=code, national=national, year=year, flow=flow)
    from inventories.models import Chemical

    members = {c.slug: c.name for c in Chemical.objects.filter(slug__in=row["members"])}
    unknown = set(shares) - set(members)
    if not shares or unknown:
        raise ValidationError(_("Choose among the chemicals the code names."), code="not_a_member")
    quantity = Decimal(str(row["quantity_kg"] or 0))
    if len(shares) == 1 and next(iter(shares.values())) is None:
        stored = [{"slug": slug, "name": members[slug], "kg": None} for slug in shares]
    else:
        amounts = {}
        for slug, kg in shares.items():
            try:
                amount = Decimal(str(kg)) if kg not in (None, "") else Decimal(0)
            except InvalidOperation:
                raise ValidationError(_("Enter a number."), code="invalid") from None
            if not amount.is_finite() or amount < 0:
                raise ValidationError(_("Enter quantities of zero or more."), code="invalid")
            if amount:
                amounts[slug] = amount.quantize(Decimal("0.001"))
        if abs(sum(amounts.values(), Decimal(0)) - quantity) > Decimal("0.0005"):
            raise ValidationError(
                _(
                    "The quantities add up to %(given)s kg; the row holds %(row)s kg. Attribute "
                    "all of it, no more."
                )
                % {"given": sum(amounts.values(), Decimal(0)), "row": quantity},
                code="does_not_add_up",
            )
        stored = [
            {"slug": slug, "name": members[slug], "kg": str(kg)}
            for slug, kg in sorted(amounts.items(), key=lambda i: members[i[0]])
        ]
    attribution, _created = GroupAttribution.objects.update_or_create(
        answer=answer,
        code=code,
        national=bool(national),
        year=year,
        flow=flow,
        defaults={
            "shares": stored,
            "quantity_kg": quantity,
            "reason": reason,
            "attributed_by": actor,
            "attributed_at": timezone.now(),
        },
    )
    attribution.full_clean()
    _compute_again(answer, report)
    described = ", ".join(
        f"{s['name']} {s['kg']} kg" if s["kg"] is not None else s["name"] for s in stored
    )
    record_event(
        report,
        "group_attribute",
        actor=actor,
        assignment=answer.assignment,
        note=f"{question.code}: {row['chemical']} {year} {flow} → {described}. {reason}",
    )
    return attribution


@transaction.atomic
def group_attribution_withdraw(
    *, report: Report, attribution: GroupAttribution, actor: User
) -> None:
    """Give the group row back its place in the table, as the declarations say it."""
    report = locked_report(report)
    attribution = GroupAttribution.objects.select_related("answer__question__section").get(
        pk=attribution.pk, answer__report=report
    )
    answer = _open_trade_answer(report, attribution.answer.question, actor)
    note = f"{answer.question.code}: {attribution.code} {attribution.year} {attribution.flow}"
    attribution.delete()
    _compute_again(answer, report)
    record_event(
        report, "group_attribution_withdrawn", actor=actor, assignment=answer.assignment, note=note
    )
