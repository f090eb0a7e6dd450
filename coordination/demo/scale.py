"""The regions that ``seed_demo --scale N`` adds, for load tests and benchmarks: each has 16
provincial institutions with ten people each, every one seated in the NCM with a principal
representative; a regional committee of the 16 with principals and alternates, three two-year
workplans (5 activities, 645 tasks in all) and 64 monthly meetings with attendance."""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.utils import timezone
from guardian.shortcuts import assign_perm

from coordination.demo.designations import START, A, P
from coordination.models import (
    Activity,
    Attendance,
    Body,
    Convention,
    Designation,
    Institution,
    Meeting,
    Membership,
    Person,
    Task,
    Workplan,
)

d = datetime.date
K = Institution.Kind
B = Body.Kind
M = Membership.Role
D = Designation.Kind
T = Task.Status
F = Task.Funding

# --scale N: each of the N-1 regions beyond the first adds these; 31 make a national mechanism.
REGION_INSTITUTIONS = 16
REGION_PEOPLE = 10  # per institution
REGION_WORKPLANS = [(2022, 2023), (2024, 2025), (2026, 2027)]
REGION_ACTIVITIES = [
    "Inventories and data",
    "Monitoring and laboratories",
    "Waste and stockpiles",
    "Awareness and training",
    "Enforcement and customs",
]
REGION_TASKS_PER_ACTIVITY = 43  # 3 workplans x 5 activities x 43 = 645 tasks a region
REGION_MEETINGS = 64  # monthly from January of the first regional workplan's year
REGION_TASK_WORDS = [
    "Survey",
    "Training",
    "Inspection round",
    "Sampling campaign",
    "Data review",
    "Workshop",
    "Stock audit",
    "Public information",
    "Site visit",
    "Report",
]
REGION_DONORS = [
    "GEF project 10785 (Global NIP Update)",
    "EU chemicals programme",
    "SAICM Quick Start Programme",
    "UNIDO regional programme",
]


def seed_regions(calendar, scale, ncm, secretariat):
    """Regions 1 to N-1: generated institutions, ten people each, each seated in the NCM with a
    principal; per region a committee, its workplans and tasks, and its monthly meetings."""
    count = (scale - 1) * REGION_INSTITUTIONS
    names = [f"Provincial Environment Office {i:04d}" for i in range(1, count + 1)]
    existing = set(Institution.objects.filter(name__in=names).values_list("name", flat=True))
    new = [
        Institution(name=n, acronym=f"PEO{n[-4:]}", kind=K.LOCAL_GOVERNMENT)
        for n in names
        if n not in existing
    ]
    Institution.objects.bulk_create(new, batch_size=1000)
    fresh = list(Institution.objects.filter(name__in=[i.name for i in new]))
    people = [
        Person(
            name=f"Officer {j} of {inst.acronym}",
            email=f"officer{j}.{inst.acronym.lower()}@gov.example",
            institution=inst,
        )
        for inst in fresh
        for j in range(1, REGION_PEOPLE + 1)
    ]
    Person.objects.bulk_create(people, batch_size=2000)
    seats = [
        Membership(body=ncm, institution=inst, start_date=calendar.on(START)) for inst in fresh
    ]
    Membership.objects.bulk_create(seats, batch_size=2000)
    first = {
        p.institution_id: p
        for p in Person.objects.filter(institution__in=fresh, email__startswith="officer1.")
    }
    Designation.objects.bulk_create(
        [
            Designation(
                person=first[inst.pk],
                institution=inst,
                kind=D.REPRESENTATIVE,
                capacity=P,
                body=ncm,
                start_date=calendar.on(START),
            )
            for inst in fresh
        ],
        batch_size=2000,
    )
    institutions = {i.name: i for i in Institution.objects.filter(name__in=names).order_by("name")}
    staff: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        institution__in=institutions.values(), email__startswith="officer"
    ).order_by("institution_id", "pk"):
        staff.setdefault(person.institution_id, []).append(person)
    done = set(
        Body.objects.filter(acronym__startswith="RCC", parent=ncm).values_list("acronym", flat=True)
    )
    for region in range(1, scale):
        acronym = f"RCC{region:02d}"
        if acronym in done:
            continue
        members = [
            institutions[n]
            for n in names[(region - 1) * REGION_INSTITUTIONS : region * REGION_INSTITUTIONS]
        ]
        body = _region_body(calendar, region, acronym, ncm, members, staff, secretariat)
        _region_workplans(calendar, region, body, members, staff, secretariat)
        _region_meetings(calendar, region, body, members, staff, secretariat)


def _region_body(calendar, region, acronym, ncm, members, staff, secretariat):
    body = Body.objects.create(
        name=f"Regional Chemicals Committee {region:02d}",
        acronym=acronym,
        kind=B.OTHER,
        parent=ncm,
        meetings_per_year=12,
        notice_period_days=7,
        quorum_share="0.50",
        mandate="Carries the national workplan into the provinces of the region.",
    )
    body.conventions.set(Convention.objects.filter(code__in=["stockholm", "basel"]))
    since = d(calendar.year(2021), 12, 1)
    Membership.objects.bulk_create(
        [
            Membership(
                body=body,
                institution=inst,
                start_date=since,
                role=M.CHAIR if n == 0 else M.MEMBER,
            )
            for n, inst in enumerate(members)
        ]
    )
    Designation.objects.bulk_create(
        [
            Designation(
                person=staff[inst.pk][n],
                institution=inst,
                kind=D.REPRESENTATIVE,
                capacity=capacity,
                body=body,
                start_date=since,
            )
            for inst in members
            for n, capacity in enumerate((P, A))
        ]
    )
    assign_perm("coordination.change_body", secretariat, body)
    return body


def _region_workplans(calendar, region, body, members, staff, secretariat):
    """Three two-year workplans: the past ones mostly done (a few tasks still open and so
    overdue), the current one under way, its later tasks not started."""
    rng = random.Random(region)
    today = timezone.localdate()
    conventions = list(Convention.objects.order_by("code"))
    for first_year, last_year in REGION_WORKPLANS:
        first_year, last_year = calendar.year(first_year), calendar.year(last_year)
        period_start, period_end = d(first_year, 1, 1), d(last_year, 12, 31)
        workplan = Workplan.objects.create(
            body=body,
            title=f"Regional workplan {first_year}-{last_year}",
            period_start=period_start,
            period_end=period_end,
            created_by=secretariat,
        )
        activities = Activity.objects.bulk_create(
            [
                Activity(workplan=workplan, title=title, order=n)
                for n, title in enumerate(REGION_ACTIVITIES, start=1)
            ]
        )
        tasks = []
        for activity in activities:
            for n in range(REGION_TASKS_PER_ACTIVITY):
                lead = members[rng.randrange(len(members))]
                start = period_start + datetime.timedelta(days=rng.randrange(600))
                due = min(start + datetime.timedelta(days=rng.randrange(30, 240)), period_end)
                if due < today:
                    roll = rng.random()
                    status = (
                        T.DONE
                        if roll < 0.82
                        else T.CANCELLED
                        if roll < 0.86
                        else (T.DELAYED if roll < 0.93 else T.IN_PROGRESS)
                    )
                elif start > today:
                    status = T.NOT_STARTED
                else:
                    status = T.DELAYED if rng.random() < 0.15 else T.IN_PROGRESS
                percent = {T.DONE: 100, T.NOT_STARTED: 0, T.CANCELLED: 0}.get(
                    status, rng.randrange(5, 95, 5)
                )
                funding = rng.choice([F.NATIONAL, F.NATIONAL, F.DONOR, F.IN_KIND])
                budget = None if funding == F.IN_KIND else Decimal(rng.randrange(1, 200) * 500)
                tasks.append(
                    Task(
                        activity=activity,
                        title=f"{rng.choice(REGION_TASK_WORDS)}: {activity.title.lower()}, "
                        f"{lead.acronym}, item {n + 1}",
                        lead_institution=lead,
                        assignee=staff[lead.pk][rng.randrange(REGION_PEOPLE)],
                        start_date=start,
                        due_date=due,
                        status=status,
                        percent_complete=percent,
                        budget_amount=budget,
                        budget_currency="USD" if budget is not None else "",
                        funding_source=funding,
                        donor_name=rng.choice(REGION_DONORS) if funding == F.DONOR else "",
                    )
                )
        tasks = Task.objects.bulk_create(tasks, batch_size=2000)
        Task.conventions.through.objects.bulk_create(
            [
                Task.conventions.through(task_id=t.pk, convention_id=conventions[t.pk % 4].pk)
                for t in tasks
            ],
            batch_size=5000,
        )
        Task.supporting_institutions.through.objects.bulk_create(
            [
                Task.supporting_institutions.through(
                    task_id=t.pk, institution_id=members[t.pk % len(members)].pk
                )
                for t in tasks
                if t.pk % 3 == 0 and members[t.pk % len(members)].pk != t.lead_institution_id
            ],
            batch_size=5000,
        )


def _region_meetings(calendar, region, body, members, staff, secretariat):
    """Monthly meetings from January of the first workplan's year: those past held with
    attendance (principals mostly, alternates, stand-ins, some excused or absent), the next one
    convened."""
    zone = zoneinfo.ZoneInfo("Africa/Nairobi")
    now = timezone.now()
    meetings = []
    for n in range(REGION_MEETINGS):
        month = d(calendar.year(2022) + n // 12, n % 12 + 1, 1) + datetime.timedelta(
            days=(region % 20) + 1
        )
        start = timezone.make_aware(datetime.datetime.combine(month, datetime.time(10)), zone)
        held = start < now
        meetings.append(
            Meeting(
                body=body,
                title=f"{body.name}, meeting of {month:%B %Y}",
                start=start,
                end=start + datetime.timedelta(hours=2),
                time_zone=str(zone),
                modality="hybrid" if n % 3 else "online",
                venue="Regional office",
                status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                convened_at=start - datetime.timedelta(days=14) if held else None,
                created_by=secretariat,
            )
        )
    upcoming = next((m for m in meetings if m.status == Meeting.Status.PLANNED), None)
    if upcoming is not None:
        upcoming.status = Meeting.Status.CONVENED
        upcoming.convened_at = upcoming.start - datetime.timedelta(days=14)
    meetings = Meeting.objects.bulk_create(meetings)
    rows = []
    for n, meeting in enumerate(meetings):
        if meeting.status != Meeting.Status.HELD:
            continue
        for i, inst in enumerate(members):
            roll = (n * 7 + i * 13 + region) % 20
            if roll < 13:
                presence, person = "principal", staff[inst.pk][0]
            elif roll < 16:
                presence, person = "alternate", staff[inst.pk][1]
            elif roll < 17:
                presence, person = "stand_in", None
            elif roll < 19:
                presence, person = "excused", None
            else:
                presence, person = "absent", None
            rows.append(
                Attendance(
                    meeting=meeting,
                    institution=inst,
                    presence=presence,
                    person=person,
                    stand_in_name="Duty officer" if presence == "stand_in" else "",
                    mode=("online" if (n + i) % 2 else "in_person")
                    if presence in Attendance.PRESENT
                    else "",
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=5000)
