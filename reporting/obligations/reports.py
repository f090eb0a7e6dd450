"""The obligation a national report meets. A round of a convention's national report (a Basel
annual report for one year, a Minamata Article 21 report of one cycle) answers the instance of
the obligations register of the same convention that is a national report, due on the round's
deadline for the period ending on the round's last day. Both take their dates from the register
(``reporting.reference``), so they meet without a stored link.

The Stockholm Convention's Article 15 rounds have no instance: the register reads them from
the rounds themselves (``selectors._round_rows``), met by their first submission.

Once the portal holds a report for an obligation, the report's submission records it as met
(``report_submitted``, in the same transaction, through ``services.obligation_complete``); it
is no longer recorded by hand. A correction of a submitted report leaves the obligation as the
first submission met it: the Party met it on that day, and the correction's submission, in the
report's own trail, does not move it."""

from django.db.models import Q
from django.utils.translation import gettext as _

from reporting.models import ObligationInstance, Report, Round
from reporting.obligations import register
from reporting.obligations.register import MODELLED


def _key(convention: str, due, period_end) -> tuple:
    return (convention, due, period_end)


def _instanced(convention: str) -> bool:
    """Whether the register plans instances of the convention's national reports: none for a
    convention whose reports it reads from the rounds themselves (``modelled``: the Stockholm
    Convention's Article 15)."""
    return any(
        o.convention == convention
        and o.kind == ObligationInstance.Kind.NATIONAL_REPORT
        and o.schedule != MODELLED
        for o in register.obligations().values()
    )


def instance_for(round_: Round) -> ObligationInstance | None:
    """The obligation instance the round's report meets, if the register holds one (no query
    for a round of a convention the register holds none for)."""
    if not _instanced(round_.convention):
        return None
    return (
        ObligationInstance.objects.filter(
            convention__code=round_.convention,
            kind=ObligationInstance.Kind.NATIONAL_REPORT,
            due_on=round_.deadline,
            period_end=round_.period_end,
        )
        .select_related("convention")
        .first()
    )


def reports_for(instances) -> dict[int, Report]:
    """For each national report instance, the latest version of the report the portal holds
    for it, by the instance's pk. One query."""
    wanted = {
        _key(i.convention.code, i.due_on, i.period_end): i.pk
        for i in instances
        if i.kind == ObligationInstance.Kind.NATIONAL_REPORT
    }
    if not wanted:
        return {}
    match = Q()
    for convention, due, period_end in wanted:
        match |= Q(round__convention=convention, round__deadline=due, round__period_end=period_end)
    found: dict[int, Report] = {}
    for report in Report.objects.filter(match).select_related("round").order_by("version"):
        round_ = report.round
        found[wanted[_key(round_.convention, round_.deadline, round_.period_end)]] = report
    return found


def report_for(instance: ObligationInstance) -> Report | None:
    """The latest version of the report the portal holds for this instance, if any."""
    return reports_for([instance]).get(instance.pk)


def report_submitted(*, report: Report, actor) -> ObligationInstance | None:
    """Record the obligation the report meets as met by its submission: on the day it was
    submitted, under its reference. Call inside the submission's transaction. Nothing when the
    register holds no instance for it, or when the instance is met already (by an earlier
    version of the report, or by hand before the report was started)."""
    from reporting.obligations.services import obligation_complete

    instance = instance_for(report.round)
    if instance is None or instance.is_done:
        return None
    return obligation_complete(
        instance=instance,
        completed_on=report.submitted_on,
        reference=report.submission_reference,
        actor=actor,
        note=_("Met by the submission of the %(report)s, version %(version)s.")
        % {"report": report.round.label, "version": report.version},
        workflow=True,
    )
