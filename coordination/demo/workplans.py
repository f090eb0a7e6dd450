"""The demo's joint workplan of the Steering Committee: adopted, with a progress round half
reported."""

import datetime

from coordination.demo_calendar import period_name
from coordination.models import (
    Activity,
    Convention,
    Institution,
    Membership,
    ProgressReport,
    ReportingRound,
    Task,
    Workplan,
    WorkplanRevision,
)
from coordination.services import workplan_snapshot

d = datetime.date
T = Task.Status
F = Task.Funding
WORKPLAN_ACTIVITIES = [
    (
        "Update the POPs inventories",
        [
            (
                "Inventory of PCB-containing equipment in the power sector",
                "EPA",
                ["NWMC", "CEL"],
                "maria.santos",
                d(2026, 2, 1),
                d(2026, 9, 30),
                T.IN_PROGRESS,
                60,
                "45000",
                "USD",
                F.DONOR,
                "GEF project 10785 (Global NIP Update)",
                ["stockholm", "basel"],
            ),
            (
                "Customs data on imports of listed chemicals, 2020-2025",
                "VCS",
                ["POPs Unit"],
                "aisha.bello",
                d(2026, 3, 1),
                d(2026, 12, 15),
                T.IN_PROGRESS,
                40,
                None,
                "",
                F.IN_KIND,
                "",
                ["stockholm", "rotterdam"],
            ),
            (
                "Survey of obsolete pesticide stocks",
                "NPPS",
                ["MoA", "PHRL"],
                "lucia.fernandez",
                d(2026, 2, 15),
                d(2026, 6, 30),
                T.DELAYED,
                30,
                "20000",
                "USD",
                F.NATIONAL,
                "",
                ["stockholm", "rotterdam"],
            ),
            (
                "Release estimates of unintentional POPs with the Toolkit",
                "NUV",
                ["SEI"],
                "daniel.osei",
                d(2026, 4, 1),
                d(2027, 3, 31),
                T.IN_PROGRESS,
                25,
                "15000",
                "USD",
                F.DONOR,
                "UNEP/GEF Global NIP Update",
                ["stockholm"],
            ),
        ],
    ),
    (
        "Monitoring and laboratory capacity",
        [
            (
                "Accreditation of PCB and OCP analysis methods",
                "CEL",
                ["PHRL"],
                "claire.dubois",
                d(2026, 1, 15),
                d(2027, 6, 30),
                T.IN_PROGRESS,
                50,
                "30000",
                "EUR",
                F.DONOR,
                "EU chemicals programme",
                ["stockholm"],
            ),
            (
                "Breast-milk monitoring campaign for the Global Monitoring Plan",
                "PHRL",
                ["MoH"],
                "raj.patel",
                d(2026, 5, 1),
                d(2026, 12, 10),
                T.NOT_STARTED,
                0,
                None,
                "",
                F.IN_KIND,
                "",
                ["stockholm"],
            ),
        ],
    ),
    (
        "NIP update and reporting",
        [
            (
                "Draft the health chapter of the updated NIP",
                "MoH",
                [],
                "samuel.mensah",
                d(2026, 3, 1),
                d(2026, 10, 31),
                T.IN_PROGRESS,
                70,
                None,
                "",
                F.NATIONAL,
                "",
                ["stockholm"],
            ),
            (
                "Prepare the sixth national report under Article 15",
                "POPs Unit",
                ["VCS", "EPA"],
                "pierre.lambert",
                d(2026, 1, 10),
                d(2026, 8, 31),
                T.DONE,
                100,
                "5000",
                "USD",
                F.NATIONAL,
                "",
                ["stockholm"],
            ),
            (
                "Awareness campaign on PFAS in consumer products",
                "GVA",
                ["CCI"],
                "kofi.asante",
                d(2026, 9, 1),
                d(2027, 5, 31),
                T.NOT_STARTED,
                0,
                "12000",
                "USD",
                F.DONOR,
                "SAICM Quick Start Programme",
                ["stockholm", "minamata"],
            ),
        ],
    ),
]
PLAN_START, PLAN_END = d(2026, 1, 1), d(2027, 12, 31)
PLAN_CIRCULATED, PLAN_ADOPTED = d(2026, 1, 20), d(2026, 2, 5)
ROUND_DUE = d(2026, 12, 10)  # four days after the story's day
NEXT_SC = d(2026, 12, 16)  # the Steering Committee convened for ten days after it
REPORTED = {  # task title prefix -> (status, percent, narrative)
    "Inventory of PCB": (
        T.IN_PROGRESS,
        65,
        "Transformers in 3 of 5 regions surveyed; sampling of 120 units done.",
    ),
    "Release estimates": (
        T.IN_PROGRESS,
        30,
        "Activity data for source groups 1 to 4 collected; open burning data still missing.",
    ),
    "Accreditation": (
        T.IN_PROGRESS,
        55,
        "Proficiency test passed for PCB; OCP method validation under way.",
    ),
    "Draft the health": (
        T.DELAYED,
        75,
        "Draft 2 is with the Technical Committee; two reviewers changed post.",
    ),
}


def seed_workplan(calendar, body, institutions, people, users):
    """A joint workplan of the Steering Committee, adopted, with a round half reported."""
    secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
    period_start, period_end = calendar.month_start(PLAN_START), calendar.month_end(PLAN_END)
    workplan, _ = Workplan.objects.get_or_create(
        body=body,
        title=f"Joint workplan {period_name(period_start, period_end)}",
        defaults={
            "period_start": period_start,
            "period_end": period_end,
            "created_by": secretariat,
        },
    )
    conventions = {c.code: c for c in Convention.objects.all()}
    for order, (title, tasks) in enumerate(WORKPLAN_ACTIVITIES, start=1):
        activity, _ = Activity.objects.get_or_create(
            workplan=workplan, title=title, defaults={"order": order}
        )
        for (
            task_title,
            lead,
            supporting,
            assignee,
            start,
            due,
            status,
            percent,
            budget,
            currency,
            funding,
            donor,
            codes,
        ) in tasks:
            task, created = Task.objects.get_or_create(
                activity=activity,
                title=task_title,
                defaults={
                    "lead_institution": institutions[lead],
                    "assignee": people[assignee],
                    "start_date": max(calendar.on(start), period_start),
                    "due_date": min(calendar.on(due), period_end),
                    "status": status,
                    "percent_complete": percent,
                    "budget_amount": budget,
                    "budget_currency": currency,
                    "funding_source": funding,
                    "donor_name": donor,
                },
            )
            if created:
                task.supporting_institutions.set([institutions[a] for a in supporting])
                task.conventions.set([conventions[c] for c in codes])
    if not workplan.revisions.exists():
        WorkplanRevision.objects.create(
            workplan=workplan,
            number=1,
            status=WorkplanRevision.Status.ADOPTED,
            snapshot=workplan_snapshot(workplan),
            note=f"Adopted at the first Steering Committee meeting of "
            f"{calendar.on(PLAN_ADOPTED).year}.",
            created_by=secretariat,
            circulated_at=calendar.at(PLAN_CIRCULATED, 9),
            adopted_at=calendar.at(PLAN_ADOPTED, 15),
            adopted_by=secretariat,
        ).circulated_to.set(
            Institution.objects.filter(
                pk__in=Membership.objects.filter(body=body).values("institution_id")
            )
        )
    reporting_round, created = ReportingRound.objects.get_or_create(
        workplan=workplan,
        title=f"Progress before the {calendar.on(NEXT_SC):%B %Y} Steering Committee",
        defaults={"due_date": calendar.on(ROUND_DUE), "opened_by": secretariat},
    )
    if created:
        reporting_round.tasks.set(
            Task.objects.filter(activity__workplan=workplan).exclude(status__in=Task.CLOSED)
        )
    for task in reporting_round.tasks.select_related("lead_institution"):
        match = next((v for k, v in REPORTED.items() if task.title.startswith(k)), None)
        if match and not ProgressReport.objects.filter(round=reporting_round, task=task).exists():
            status, percent, narrative = match
            ProgressReport.objects.create(
                round=reporting_round,
                task=task,
                institution=task.lead_institution,
                status=status,
                percent_complete=percent,
                narrative=narrative,
                submitted_by=secretariat,
            )
            Task.objects.filter(pk=task.pk).update(status=status, percent_complete=percent)
