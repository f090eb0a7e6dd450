"""The demo's meetings: two years of Steering and Technical Committee meetings with attendance,
minutes and agenda documents, and the external events of the calendar."""

import datetime
import hashlib
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone

from coordination.demo.workplans import NEXT_SC
from coordination.models import (
    AgendaItem,
    Attendance,
    Convention,
    Designation,
    Document,
    DocumentVersion,
    ExternalEvent,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
)

d = datetime.date


def seed_meetings(calendar, bodies, institutions, people, users):
    """Two years of Steering and Technical Committee meetings, with attendance patterns
    (the Ministry of Economy often absent, the Ministry of Agriculture and the waste company
    often sending stand-ins), approved minutes, agenda documents and external events."""
    secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
    zone = "Africa/Nairobi"
    plans = [
        ("SC", d(2025, 3, 12), "held"),
        ("SC", d(2025, 10, 8), "held"),
        ("SC", d(2026, 4, 15), "held"),
        ("SC", d(2026, 10, 14), "circulated"),
        ("SC", NEXT_SC, "convened"),
        ("TC", d(2025, 2, 19), "held"),
        ("TC", d(2025, 5, 21), "held"),
        ("TC", d(2025, 8, 20), "held"),
        ("TC", d(2025, 11, 19), "held"),
        ("TC", d(2026, 2, 18), "held"),
        ("TC", d(2026, 5, 20), "held"),
        ("TC", d(2026, 8, 19), "held"),
        ("TC", d(2027, 1, 20), "planned"),
    ]
    often_absent = {"SC": "MoEI", "TC": "SEI"}
    stand_ins = {"SC": "MoA", "TC": "NWMC"}
    for index, (acronym, day, state) in enumerate(plans):
        day = calendar.on(day)
        body = bodies[acronym]
        start = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9, 30)), zoneinfo.ZoneInfo(zone)
        )
        meeting, created = Meeting.objects.get_or_create(
            body=body,
            title=f"{body.name}, meeting of {day:%B %Y}",
            defaults={
                "start": start,
                "end": start + datetime.timedelta(hours=3),
                "time_zone": zone,
                "modality": "hybrid",
                "venue": "Ministry of Environment and Climate, conference room B",
                "online_link": "https://meet.example.org/ncm",
                "created_by": secretariat,
            },
        )
        if not created:
            continue
        items = [
            AgendaItem.objects.create(
                meeting=meeting,
                order=1,
                title="Adoption of the agenda",
                expected_outcome="decision",
            ),
            AgendaItem.objects.create(
                meeting=meeting,
                order=2,
                title="Progress of the joint workplan",
                expected_outcome="discussion",
            ),
            AgendaItem.objects.create(
                meeting=meeting,
                order=3,
                title=(
                    "PCB inventory: validation of the draft report"
                    if acronym == "TC"
                    else "NIP update: priorities and endorsement path"
                ),
                expected_outcome="decision",
            ),
        ]
        document = Document.objects.create(
            title=f"Agenda and background note, {day:%B %Y}",
            category=Document.Category.AGENDA,
            audience=Document.Audience.BODY_MEMBERS,
            meeting=meeting,
            created_by=secretariat,
            circulated_at=start - datetime.timedelta(days=body.notice_period_days),
        )
        content = "\n".join(f"{i.order}. {i.title}" for i in items).encode()
        version = DocumentVersion(
            document=document,
            number=1,
            original_name="agenda.txt",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            language="en",
            uploaded_by=secretariat,
        )
        version.file.save("agenda.txt", ContentFile(content), save=False)
        version.save()
        if state in ("planned", "convened"):
            if state == "convened":
                meeting.status = Meeting.Status.CONVENED
                meeting.convened_at = start - datetime.timedelta(days=30)
                meeting.save(update_fields=["status", "convened_at"])
            continue
        meeting.status = Meeting.Status.HELD
        meeting.convened_at = start - datetime.timedelta(days=30)
        meeting.save(update_fields=["status", "convened_at"])
        reps = {
            (r.institution_id, r.capacity): r.person
            for r in Designation.objects.current(day).filter(
                kind=Designation.Kind.REPRESENTATIVE, body=body
            )
        }
        for seat in Membership.objects.current(day).filter(body=body):
            acr = seat.institution.acronym
            if acr == often_absent[acronym] and index % 4 != 0:
                presence, person, stand_in = "absent", None, ""
            elif acr == stand_ins[acronym] and index % 4 != 1:
                presence, person, stand_in = "stand_in", None, "Duty officer of the day"
            elif (seat.institution_id, "principal") in reps:
                presence, person, stand_in = (
                    "principal",
                    reps[(seat.institution_id, "principal")],
                    "",
                )
            elif (seat.institution_id, "alternate") in reps:
                presence, person, stand_in = (
                    "alternate",
                    reps[(seat.institution_id, "alternate")],
                    "",
                )
            else:
                presence, person, stand_in = "excused", None, ""
            Attendance.objects.create(
                meeting=meeting,
                institution=seat.institution,
                presence=presence,
                person=person,
                stand_in_name=stand_in,
                mode=("online" if index % 2 else "in_person")
                if presence in Attendance.PRESENT
                else "",
            )
        minutes = Minutes.objects.create(
            meeting=meeting,
            version=1,
            status=Minutes.Status.CIRCULATED if state == "circulated" else Minutes.Status.APPROVED,
            circulated_at=start + datetime.timedelta(days=7),
            approved_at=None if state == "circulated" else start + datetime.timedelta(days=40),
            approved_by=None if state == "circulated" else secretariat,
        )
        for item in items:
            MinutesItem.objects.create(
                minutes=minutes,
                agenda_item=item,
                summary=f"Discussed: {item.title}.",
                decisions="Agreed." if item.expected_outcome == "decision" else "",
            )
        if state != "circulated":
            meeting.status = Meeting.Status.MINUTES_APPROVED
            meeting.save(update_fields=["status"])
    on, year = calendar.on, calendar.year
    events = [
        (
            f"{year(2025)} meetings of the Conferences of the Parties to the BRS conventions",
            "cop",
            on(d(2025, 4, 28)),
            on(d(2025, 5, 9)),
            "Geneva",
            "https://www.brsmeas.org",
        ),
        (
            "Regional workshop on NIP review and update, Africa",
            "regional",
            on(d(2026, 6, 10)),
            on(d(2026, 6, 12)),
            "Dakar",
            "",
        ),
        (
            "Webinar: alternatives to PFAS in firefighting foams",
            "webinar",
            on(d(2026, 12, 3)),
            on(d(2026, 12, 3)),
            "Online",
            "",
        ),
        (
            f"{year(2027)} meetings of the Conferences of the Parties to the BRS conventions",
            "cop",
            on(d(2027, 5, 3)),
            on(d(2027, 5, 14)),
            "Geneva",
            "https://www.brsmeas.org",
        ),
    ]
    stockholm = Convention.objects.get(code="stockholm")
    for title, kind, first, last, location, url in events:
        zone_info = zoneinfo.ZoneInfo("Europe/Zurich" if location == "Geneva" else "UTC")
        event, created = ExternalEvent.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "start": timezone.make_aware(
                    datetime.datetime.combine(first, datetime.time(10)), zone_info
                ),
                "end": timezone.make_aware(
                    datetime.datetime.combine(last, datetime.time(18)), zone_info
                ),
                "time_zone": str(zone_info),
                "location": location,
                "url": url,
                "created_by": secretariat,
            },
        )
        if created:
            event.conventions.set([stockholm])
