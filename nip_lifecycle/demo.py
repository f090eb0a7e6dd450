"""Demo data of the NIP cycle for the fictional Republic of Veridia: a completed cycle that
answered the 2009 amendments, and the current one (the 2023 and 2025 listings) at step 5.
The current cycle's dates are the story's, moved with the demo's calendar (see
coordination/demo_calendar.py); the past cycle is history and keeps its dates. Everything goes
through the services; running it again changes nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coordination.ballots import services as votes
from coordination.demo_calendar import DemoCalendar
from coordination.documents.services import document_upload
from coordination.models import (
    Ballot,
    ConventionRole,
    Designation,
    Document,
    Institution,
    Person,
    Workplan,
)
from nip_lifecycle import services
from nip_lifecycle.models import Cycle, ReferenceAmendment, Step

PAST_TITLE = "NIP update for the 2009 amendments (COP-4)"
CURRENT_TITLE = "NIP update for the 2023 and 2025 listings (COP-11 and COP-12)"
D = datetime.date

# Step number: planned start, planned end, actual start, actual end.
PAST_DATES = {
    1: (D(2010, 9, 1), D(2010, 11, 30), D(2010, 9, 6), D(2010, 11, 26)),
    2: (D(2010, 12, 1), D(2011, 2, 28), D(2010, 12, 1), D(2011, 3, 18)),
    3: (D(2011, 3, 1), D(2011, 4, 30), D(2011, 3, 21), D(2011, 5, 13)),
    4: (D(2011, 5, 1), D(2011, 11, 30), D(2011, 5, 16), D(2012, 1, 20)),
    5: (D(2011, 12, 1), D(2012, 2, 29), D(2012, 1, 23), D(2012, 3, 30)),
    6: (D(2012, 3, 1), D(2012, 5, 31), D(2012, 4, 2), D(2012, 6, 29)),
    7: (D(2012, 6, 1), D(2012, 7, 15), D(2012, 7, 2), D(2012, 7, 27)),
    8: (D(2012, 7, 16), D(2012, 8, 26), D(2012, 7, 30), D(2012, 8, 17)),
}
CURRENT_DATES = {
    1: (D(2025, 6, 1), D(2025, 7, 31), D(2025, 6, 2), D(2025, 7, 25)),
    2: (D(2025, 8, 1), D(2025, 9, 30), D(2025, 8, 4), D(2025, 10, 10)),
    3: (D(2025, 10, 1), D(2025, 11, 15), D(2025, 10, 13), D(2025, 11, 14)),
    4: (D(2025, 11, 15), D(2026, 6, 30), D(2025, 11, 17), D(2026, 7, 24)),
    5: (D(2026, 7, 1), D(2026, 12, 15), D(2026, 7, 27), None),
    6: (D(2027, 1, 4), D(2027, 6, 30), None, None),
    7: (D(2027, 7, 1), D(2027, 9, 30), None, None),
    8: (D(2027, 10, 1), D(2027, 11, 30), None, None),
}
ISSUES = [
    # title, scores against health, environment, extent, legal obligation, capacity gap, cost
    ("PCB-containing equipment in use", [5, 4, 4, 5, 3, 3]),
    ("Obsolete pesticide stocks", [4, 5, 3, 4, 4, 2]),
    ("PFAS in firefighting foams", [4, 4, 3, 5, 5, 3]),
    ("Open burning of waste", [5, 4, 5, 3, 3, 2]),
    ("Dechlorane Plus and UV-328 in imported articles", [2, 3, 2, 5, 5, 4]),
]


def seed_nip_demo(
    *, bodies: dict, people: dict, users: list, calendar: DemoCalendar | None = None
) -> None:
    secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
    calendar = calendar or DemoCalendar.for_day()
    if not Cycle.objects.filter(title=PAST_TITLE).exists():
        _past_cycle(secretariat, bodies, users)
    if not Cycle.objects.filter(title=CURRENT_TITLE).exists():
        _current_cycle(secretariat, bodies, calendar)


def seed_cycles(run) -> None:
    """The demo's part of nip_lifecycle (a seeder of ncm_portal.demo)."""
    seed_nip_demo(bodies=run.bodies, people=run.people, users=run.users, calendar=run.calendar)


def _cycle(secretariat, bodies, title, description):
    return services.cycle_create(
        actor=secretariat,
        title=title,
        trigger=Cycle.Trigger.NEW_LISTING,
        lead_body=bodies["NCM"],
        technical_committee=bodies["TC"],
        steering_committee=bodies["SC"],
        description=description,
    )


def _document(secretariat, cycle, title, year):
    text = f"{title}\n{cycle.title}\nRepublic of Veridia, {year}.\n"
    upload = SimpleUploadedFile(f"{title[:40]}.txt", text.encode(), "text/plain")
    return document_upload(
        actor=secretariat,
        title=f"{title} ({year})",
        category=Document.Category.REPORT,
        audience=Document.Audience.SIGNED_IN,
        file=upload,
        language="en",
        body=cycle.lead_body,
    )


def _adopted_by_silence(
    secretariat, body, question, closes: datetime.datetime, *, about=None
) -> Ballot:
    """A silence procedure of the steering committee on ``about`` that closed without
    objection."""
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question=question,
        decides=about,
        kind=Ballot.Kind.SILENCE,
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    ballot = votes.ballot_open(actor=secretariat, ballot=ballot)
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=closes - datetime.timedelta(days=14),
        opened_at=closes - datetime.timedelta(days=14),
        closes_at=closes,
    )
    return votes.ballot_close(ballot=Ballot.objects.get(pk=ballot.pk), now=closes)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))


def _carry(secretariat, cycle, step, dates, *, complete=True, returned=None):
    planned_start, planned_end, actual_start, actual_end = dates
    services.step_update(
        actor=secretariat,
        step=step,
        responsible_body=step.responsible_body,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    if actual_start is None:
        return step
    step = services.step_start(actor=secretariat, step=step, on=actual_start)
    for item in step.checklist.all():
        services.checklist_item_mark(actor=secretariat, item=item, done=True)
    for deliverable in step.deliverables.all():
        document = _document(
            secretariat, cycle, deliverable.name, (actual_end or actual_start).year
        )
        services.deliverable_attach(actor=secretariat, deliverable=deliverable, document=document)
    if not complete:
        return step
    if step.needs_technical_review:
        step = services.step_submit_for_review(actor=secretariat, step=step)
        if returned:
            services.step_review(actor=secretariat, step=step, outcome="returned", text=returned)
            step = services.step_submit_for_review(
                actor=secretariat,
                step=Step.objects.get(pk=step.pk),
                note="Revised after the technical committee's review.",
            )
        services.step_review(
            actor=secretariat,
            step=step,
            outcome="cleared",
            text="Data validated; methods consistent with the guidance.",
        )
        step = Step.objects.get(pk=step.pk)
    if step.needs_approval:
        question = (
            f"Endorse the updated NIP ({cycle.title}) for transmission to the COP?"
            if step.number == 7
            else f"Approve step {step.number} of {cycle.title}: {step.name}?"
        )
        ballot = _adopted_by_silence(
            secretariat,
            cycle.steering_committee,
            question[:300],
            _at(actual_end - datetime.timedelta(days=1)),
            about=step,
        )
        step = services.step_approve(actor=secretariat, step=step, ballot=ballot)
    return services.step_complete(actor=secretariat, step=step, on=actual_end)


def _former_contact_point():
    """The official contact point of 2009 to 2015, who transmitted the 2012 update."""
    ministry = Institution.objects.get(acronym="MoEC")
    person, _ = Person.objects.get_or_create(
        email="samuel.adeyemi@gov.example",
        defaults={
            "name": "Samuel Adeyemi",
            "title": "Director of Environment (until 2015)",
            "institution": ministry,
            "active": False,
        },
    )
    role = ConventionRole.objects.get(convention__code="stockholm", code="official-contact-point")
    Designation.objects.get_or_create(
        person=person,
        institution=ministry,
        kind=Designation.Kind.CONVENTION,
        convention_role=role,
        start_date=D(2009, 6, 1),
        defaults={
            "end_date": D(2015, 6, 30),
            "ended_at": _at(D(2015, 6, 30)),
            "handover_note": "Retired. The 2012 NIP transmission file is in the library.",
            "secretariat_notified": True,
            "secretariat_notified_on": D(2009, 6, 1),
        },
    )
    return person


def _past_cycle(secretariat, bodies, users):
    cycle = _cycle(
        secretariat,
        bodies,
        PAST_TITLE,
        "Review and update after the nine chemicals listed at COP-4 (2009).",
    )
    services.amendment_add(
        actor=secretariat, cycle=cycle, reference=ReferenceAmendment.objects.get(code="cop-4")
    )
    steps = {s.number: s for s in cycle.steps.all()}
    for number in range(1, 8):
        if number == 6:
            _consultation(secretariat, cycle, users)
        returned = (
            "The PBDE inventory counts articles twice where imports were re-exported."
            if number == 4
            else None
        )
        _carry(secretariat, cycle, steps[number], PAST_DATES[number], returned=returned)
    acknowledgment = _document(
        secretariat, cycle, "Acknowledgment of receipt by the Secretariat", 2012
    )
    services.transmission_record(
        actor=secretariat,
        cycle=cycle,
        transmitted_on=D(2012, 8, 17),
        reference="VER/MoEC/SC/2012/041",
        transmitted_by=_former_contact_point(),
        acknowledgment=acknowledgment,
    )
    _carry(secretariat, cycle, Step.objects.get(pk=steps[8].pk), PAST_DATES[8])
    services.package_request(actor=secretariat, cycle=cycle)  # rendered once committed


SECTIONS = [
    (
        "Action plan on industrial POPs (PBDEs and PFOS)",
        "Register imports of articles containing PBDEs; phase out PFOS in metal plating by 2015.",
    ),
    (
        "Action plan on POP pesticides (lindane, chlordecone, endosulfan)",
        "Withdraw the remaining registrations of lindane; collect and export obsolete stocks.",
    ),
]
COMMENTS = [
    (
        "member@ncm.example",
        0,
        "Add the health surveillance of workers handling PFOS.",
        "accepted",
        "",
    ),
    (
        "focal.point@ncm.example",
        0,
        "Customs cannot identify PBDEs in articles without test kits.",
        "partly",
        "Test kits added to the capacity-building activities; HS codes are not enough.",
    ),
    (
        "focal.point@ncm.example",
        1,
        "Move the stock collection to 2013.",
        "not_accepted",
        "The donor's funding ends in 2012: collection stays in 2012.",
    ),
]


def _consultation(secretariat, cycle, users):
    by_email = {u.email: u for u in users}
    sections = [
        services.section_add(actor=secretariat, cycle=cycle, title=title, text=text)
        for title, text in SECTIONS
    ]
    services.consultation_set_open(actor=secretariat, cycle=cycle, open=True)
    for email, index, text, resolution, reason in COMMENTS:
        comment = services.comment_add(actor=by_email[email], section=sections[index], text=text)
        services.comment_resolve(
            actor=secretariat, comment=comment, resolution=resolution, reason=reason
        )
    services.section_revise(
        actor=secretariat,
        section=sections[0],
        note="After consultation",
        text=SECTIONS[0][1] + " Monitor the health of exposed workers.",
    )
    services.consultation_set_open(actor=secretariat, cycle=cycle, open=False)


def _current_cycle(secretariat, bodies, calendar):
    cycle = _cycle(
        secretariat,
        bodies,
        CURRENT_TITLE,
        "Review and update for methoxychlor, Dechlorane Plus and UV-328 (COP-11) and "
        "chlorpyrifos, MCCPs and long-chain PFCAs (COP-12).",
    )
    note = "Demo value: the general entry-into-force date is unconfirmed in the reference list."
    for code, day in (("cop-11", D(2025, 2, 26)), ("cop-12", D(2026, 11, 10))):
        services.amendment_add(
            actor=secretariat,
            cycle=cycle,
            reference=ReferenceAmendment.objects.get(code=code),
            party_entry_into_force=calendar.on(day),
            party_date_note=note,
        )
    steps = {s.number: s for s in cycle.steps.all()}
    dates = {
        number: tuple(day and calendar.on(day) for day in planned_and_actual)
        for number, planned_and_actual in CURRENT_DATES.items()
    }
    for number in range(1, 5):
        _carry(secretariat, cycle, steps[number], dates[number])
    _carry(secretariat, cycle, steps[5], dates[5], complete=False)
    for number in range(6, 9):
        _carry(secretariat, cycle, steps[number], dates[number])
    _priorities(secretariat, cycle, calendar)


def _priorities(secretariat, cycle, calendar):
    criteria = list(cycle.criteria.order_by("order"))
    issues = {}
    for title, scores in ISSUES:
        issues[title] = services.issue_add(actor=secretariat, cycle=cycle, title=title)
        services.issue_score(
            actor=secretariat,
            issue=issues[title],
            scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
        )
    workplan = (
        Workplan.objects.filter(body=cycle.steering_committee, title__startswith="Joint workplan")
        .order_by("pk")
        .first()
    )
    if workplan is None:
        return
    services.cycle_set_workplan(actor=secretariat, cycle=cycle, workplan=workplan)
    objective = services.objective_add(
        actor=secretariat,
        cycle=cycle,
        issue=issues["PCB-containing equipment in use"],
        title="Remove all PCB-containing equipment from use by 2028",
        target="Every transformer above 50 ppm PCB labelled by 2027 and taken out of use by 2028.",
    )
    lead = Institution.objects.filter(acronym="MoEI").first() or Institution.objects.first()
    services.action_add(
        actor=secretariat,
        objective=objective,
        lead_institution=lead,
        title="Label and register PCB-containing transformers",
        start_date=calendar.on(D(2026, 11, 1)),
        due_date=calendar.on(D(2027, 6, 30)),
    )
    services.objective_add(
        actor=secretariat,
        cycle=cycle,
        issue=issues["PFAS in firefighting foams"],
        title="Replace PFAS-based firefighting foams",
        target="No PFAS-based foam in use at airports and refineries by 2029.",
    )
