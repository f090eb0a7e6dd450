"""The demo's obligations under the conventions (run by reporting's seeder, after the Article 15
reports): the instances planned from the register from two years before the demo's day; the
Basel annual reports already due submitted on time by the Basel focal point; the Minamata
reports already due submitted late (45 days, or fewer when the deadline is that recent); and
two Rotterdam
obligations of the story: an import response for decaBDE opened from a decision guidance
document dispatched in May (still due), its refusal of consent drafted by the technical
committee and awaiting the steering committee, and the notification of Veridia's own ban of
paraquat, in force since August and not yet notified (late).

The register's due dates are the conventions' real ones (like the Article 15 rounds); the
Rotterdam events are the story's, moved with the demo calendar. Running it again changes
nothing."""

import datetime

from django.utils import timezone

from coordination.models import User
from reporting.models import ImportResponse, ObligationInstance
from reporting.obligations import reports, services
from reporting.obligations.rotterdam import import_response_draft

D = datetime.date
BASEL_SUBMITTED_BEFORE_DUE = datetime.timedelta(days=12)
MINAMATA_LATE_BY = datetime.timedelta(days=45)
ROTTERDAM_EVENTS = [
    (
        "rotterdam-import-response",
        "Decabromodiphenyl ether (decaBDE)",
        "2909.30",
        D(2026, 5, 4),
        "Decision guidance document received from the Secretariat through the PIC Circular.",
    ),
    (
        "rotterdam-regulatory-action",
        "Paraquat dichloride",
        "",
        D(2026, 8, 3),
        "Ministerial order banning all uses of paraquat, in force on this date.",
    ),
]


def _holder(convention: str, role: str, fallback):
    user = (
        User.objects.filter(
            is_active=True,
            person__designations__kind="convention",
            person__designations__end_date__isnull=True,
            person__designations__capacity="principal",
            person__designations__convention_role__code=role,
            person__designations__convention_role__convention__code=convention,
        )
        .order_by("pk")
        .first()
    )
    return user or fallback


def seed_obligations(run) -> None:
    calendar, secretariat = run.calendar, run.secretariat
    if calendar is None or secretariat is None:
        return
    today = min(calendar.today, timezone.localdate())  # nothing recorded in the future
    # Two years back as well as the usual window, so that whatever the day a Basel report (due
    # every year) and a Minamata report (every two years) are already behind the mechanism.
    services.obligations_plan(on=today - datetime.timedelta(days=365))
    services.obligations_plan(on=today)
    basel_focal = _holder("basel", "focal-point", secretariat)
    minamata_focal = _holder("minamata", "national-focal-point", secretariat)
    for instance in ObligationInstance.objects.open().filter(obligation="basel-annual-report"):
        if instance.due_on < today:
            services.obligation_complete(
                instance=instance,
                completed_on=instance.due_on - BASEL_SUBMITTED_BEFORE_DUE,
                reference=f"BC-ERS-VER-{instance.key}",
                actor=basel_focal,
            )
    for instance in ObligationInstance.objects.open().filter(obligation__startswith="minamata-"):
        submitted = min(instance.due_on + MINAMATA_LATE_BY, today - datetime.timedelta(days=1))
        # A round whose report the demo keeps in draft is met by that report's submission.
        if submitted > instance.due_on and reports.report_for(instance) is None:
            services.obligation_complete(
                instance=instance,
                completed_on=submitted,
                reference=f"MC-ORT-VER-{instance.due_on.year}",
                actor=minamata_focal,
                note="Submitted through the online reporting tool after the deadline.",
            )
    dna = _holder("rotterdam", "designated-national-authority", secretariat)
    for obligation, subject, codes, day, note in ROTTERDAM_EVENTS:
        moved = calendar.on(day)
        if ObligationInstance.objects.filter(obligation=obligation, subject=subject).exists():
            continue
        if moved > today:
            continue
        instance = services.obligation_open(
            obligation=obligation,
            subject=subject,
            trigger_date=moved,
            actor=secretariat,
            note=note,
            hs_codes=codes,
        )
        if obligation == "rotterdam-import-response":
            # Drafted by the technical committee: it awaits the steering committee's approval.
            import_response_draft(
                response=instance.import_response,
                decision=ImportResponse.Decision.NO_CONSENT,
                conditions="",
                actor=dna,
            )
