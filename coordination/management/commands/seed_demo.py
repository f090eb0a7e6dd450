"""Build the demo mechanism of a fictional Party. Running it again changes nothing.

``--scale N`` adds N-1 regions, for load tests and benchmarks. Each region has 16 provincial
institutions with ten people each, every one seated in the NCM with a principal representative; a
regional committee of the 16 with principals and alternates, three two-year workplans (5 activities,
645 tasks in all, with leads, assignees, due dates, some overdue, budgets) and 64 monthly meetings
with attendance from four years back. ``--scale 32`` is the national size: about 500 institutions,
5,000 people, 20,000 tasks, 2,000 meetings, and a million customs declarations (``--customs-rows``,
1,000,000 x (N-1)/31 by default) loaded through the real ingest pipeline and accepted."""

import datetime
import hashlib
import zoneinfo

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from coordination.accounts.roles import ensure_role_groups
from coordination.demo_calendar import STORY_DAY, DemoCalendar, period_name
from coordination.models import (
    ROLE_GROUPS,
    Activity,
    AgendaItem,
    Attendance,
    Body,
    Convention,
    ConventionRole,
    Designation,
    Document,
    DocumentVersion,
    ExternalEvent,
    Institution,
    Mandate,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
    Person,
    ProgressReport,
    ReportingRound,
    Role,
    Task,
    User,
    Workplan,
    WorkplanRevision,
)
from coordination.services import focal_point_permissions_sync, workplan_snapshot
from inventories.demo import seed_inventories_demo

DEMO_PASSWORD = "ncm-demo-2026"
DEMO_ACCOUNTS = [
    # e-mail, full name, role, person key (or None)
    ("admin@ncm.example", "Portal Administrator", Role.ADMINISTRATOR, None),
    ("secretariat@ncm.example", "Amara Okonkwo", Role.SECRETARIAT, "amara.okonkwo"),
    ("focal.point@ncm.example", "Tomas Reyes", Role.FOCAL_POINT, "tomas.reyes"),
    ("member@ncm.example", "Lena Marchetti", Role.MEMBER, "lena.marchetti"),
    ("viewer@ncm.example", "Jonas Berg", Role.VIEWER, None),
    # The Stockholm Convention's official contact point, who approves the national reports.
    ("contact.point@ncm.example", "Nadia Haddad", Role.MEMBER, "nadia.haddad"),
]

K = Institution.Kind
INSTITUTIONS = [
    # acronym, name, kind, parent acronym, mandates
    (
        "MoEC",
        "Ministry of Environment and Climate",
        K.MINISTRY,
        None,
        ["waste", "industrial-chemicals", "mercury", "awareness"],
    ),
    (
        "POPs Unit",
        "Chemicals and POPs Unit",
        K.MINISTRY,
        "MoEC",
        ["industrial-chemicals", "waste", "mercury"],
    ),
    ("MoH", "Ministry of Health", K.MINISTRY, None, ["health", "awareness"]),
    ("MoA", "Ministry of Agriculture", K.MINISTRY, None, ["pesticides"]),
    (
        "NPPS",
        "National Plant Protection Service",
        K.AGENCY,
        "MoA",
        ["pesticides", "inspection-enforcement"],
    ),
    (
        "MoEI",
        "Ministry of Economy and Industry",
        K.MINISTRY,
        None,
        ["industry-energy", "industrial-chemicals"],
    ),
    ("VCS", "Veridia Customs Service", K.CUSTOMS, None, ["border-control"]),
    (
        "EPA",
        "Environmental Protection Agency",
        K.AGENCY,
        None,
        ["environmental-monitoring", "waste", "industrial-chemicals"],
    ),
    ("SEI", "State Environmental Inspectorate", K.INSPECTORATE, None, ["inspection-enforcement"]),
    ("NUV", "National University of Veridia", K.UNIVERSITY, None, ["research"]),
    (
        "CEL",
        "Central Environmental Laboratory",
        K.LABORATORY,
        None,
        ["laboratory-analysis", "environmental-monitoring"],
    ),
    (
        "PHRL",
        "Public Health Reference Laboratory",
        K.LABORATORY,
        None,
        ["laboratory-analysis", "health"],
    ),
    ("CCI", "Chamber of Commerce and Industry", K.INDUSTRY, None, ["industry-energy"]),
    ("GVA", "Green Veridia Alliance", K.NGO, None, ["awareness"]),
    ("NWMC", "National Waste Management Company", K.STATE_ENTERPRISE, None, ["waste"]),
    ("ALG", "Association of Local Governments", K.LOCAL_GOVERNMENT, None, ["local-implementation"]),
    ("MoD", "Ministry of Defence", K.MINISTRY, None, ["waste"]),
]

PEOPLE = [
    # key, name, title, institution acronym, language
    ("amara.okonkwo", "Amara Okonkwo", "Head, Chemicals and POPs Unit", "POPs Unit", "en"),
    ("pierre.lambert", "Pierre Lambert", "Chemicals officer", "POPs Unit", "fr"),
    ("nadia.haddad", "Nadia Haddad", "Director, Environmental Policy", "MoEC", "fr"),
    ("viktor.sokolov", "Viktor Sokolov", "Deputy Director, Environmental Policy", "MoEC", "ru"),
    ("lena.marchetti", "Lena Marchetti", "Director, Environmental Health", "MoH", "en"),
    ("samuel.mensah", "Samuel Mensah", "Toxicologist", "MoH", "en"),
    ("grace.nakamura", "Grace Nakamura", "Former Director, Environmental Health", "MoH", "en"),
    ("ivan.petrov", "Ivan Petrov", "Head of Pesticide Registration", "NPPS", "ru"),
    ("lucia.fernandez", "Lucía Fernández", "Pesticide inspector", "NPPS", "es"),
    ("omar.diallo", "Omar Diallo", "Policy adviser", "MoA", "fr"),
    ("hana.kim", "Hana Kim", "Director, Industrial Policy", "MoEI", "en"),
    ("tomas.reyes", "Tomás Reyes", "Head, Tariff and Classification", "VCS", "es"),
    ("aisha.bello", "Aisha Bello", "Customs statistician", "VCS", "en"),
    ("erik.lund", "Erik Lund", "Director, Monitoring Department", "EPA", "en"),
    ("maria.santos", "Maria Santos", "Waste and PCB specialist", "EPA", "es"),
    ("yusuf.kaya", "Yusuf Kaya", "Chief inspector", "SEI", "en"),
    ("sofia.rossi", "Sofia Rossi", "Professor of Environmental Chemistry", "NUV", "en"),
    ("daniel.osei", "Daniel Osei", "Lecturer, Chemical Engineering", "NUV", "en"),
    ("claire.dubois", "Claire Dubois", "Head of Organic Analysis", "CEL", "fr"),
    ("raj.patel", "Raj Patel", "Laboratory manager", "PHRL", "en"),
    ("anna.kowalski", "Anna Kowalski", "Environment and safety adviser", "CCI", "en"),
    ("kofi.asante", "Kofi Asante", "Programme coordinator", "GVA", "en"),
    ("elena.volkova", "Elena Volkova", "Head of Hazardous Waste", "NWMC", "ru"),
    ("marco.bianchi", "Marco Bianchi", "Secretary-General", "ALG", "en"),
    ("peter.hansen", "Col. Peter Hansen", "Environmental officer", "MoD", "en"),
]

B = Body.Kind
BODIES = [
    # acronym, name, kind, parent, meetings per year, notice days, quorum, conventions, mandate
    (
        "NCM",
        "National Coordination Mechanism on Chemicals and Waste",
        B.NCM,
        None,
        1,
        21,
        "0.50",
        ["stockholm", "basel", "rotterdam", "minamata"],
        "Coordinates the implementation of the chemicals and waste conventions and keeps the "
        "National Implementation Plan up to date.",
    ),
    (
        "SC",
        "Steering Committee",
        B.STEERING,
        "NCM",
        2,
        14,
        "0.50",
        ["stockholm", "basel", "rotterdam", "minamata"],
        "Approves workplans, technical reports and the updated NIP before endorsement.",
    ),
    (
        "EB",
        "Executive Bureau",
        B.OTHER,
        "SC",
        6,
        7,
        "0.67",
        ["stockholm"],
        "Takes day-to-day decisions between Steering Committee meetings.",
    ),
    (
        "TC",
        "Technical Committee",
        B.TECHNICAL,
        "NCM",
        4,
        10,
        "0.50",
        ["stockholm", "minamata"],
        "Validates inventory data and checks the methods of draft technical reports.",
    ),
    (
        "IET-PCB",
        "Inventory Expert Team on PCBs",
        B.INVENTORY_TEAM,
        "TC",
        4,
        7,
        "0.50",
        ["stockholm", "basel"],
        "PCB equipment and waste inventory.",
    ),
    (
        "IET-PEST",
        "Inventory Expert Team on Pesticides",
        B.INVENTORY_TEAM,
        "TC",
        4,
        7,
        "0.50",
        ["stockholm", "rotterdam"],
        "Obsolete pesticide stocks and trade in listed pesticides.",
    ),
    (
        "IET-UPOPS",
        "Inventory Expert Team on Unintentional POPs",
        B.INVENTORY_TEAM,
        "TC",
        4,
        7,
        "0.50",
        ["stockholm"],
        "Release estimates with the UNEP Toolkit.",
    ),
]

M = Membership.Role
MEMBERSHIPS = {
    "NCM": [
        ("MoEC", M.CHAIR),
        ("MoH", M.VICE_CHAIR),
        ("MoA", M.MEMBER),
        ("NPPS", M.MEMBER),
        ("MoEI", M.MEMBER),
        ("VCS", M.MEMBER),
        ("EPA", M.MEMBER),
        ("SEI", M.MEMBER),
        ("NUV", M.MEMBER),
        ("CEL", M.MEMBER),
        ("PHRL", M.MEMBER),
        ("CCI", M.MEMBER),
        ("GVA", M.MEMBER),
        ("NWMC", M.MEMBER),
        ("ALG", M.MEMBER),
        ("MoD", M.MEMBER),
    ],
    "SC": [
        ("MoEC", M.CHAIR),
        ("MoH", M.VICE_CHAIR),
        ("MoA", M.MEMBER),
        ("MoEI", M.MEMBER),
        ("VCS", M.MEMBER),
        ("EPA", M.MEMBER),
        ("GVA", M.OBSERVER),
    ],
    "EB": [("MoEC", M.CHAIR), ("MoH", M.MEMBER), ("EPA", M.MEMBER)],
    "TC": [
        ("EPA", M.CHAIR),
        ("NUV", M.VICE_CHAIR),
        ("CEL", M.MEMBER),
        ("PHRL", M.MEMBER),
        ("NPPS", M.MEMBER),
        ("SEI", M.MEMBER),
        ("VCS", M.MEMBER),
        ("NWMC", M.MEMBER),
    ],
    "IET-PCB": [("EPA", M.CHAIR), ("NWMC", M.MEMBER), ("CEL", M.MEMBER)],
    "IET-PEST": [("NPPS", M.CHAIR), ("PHRL", M.MEMBER), ("VCS", M.MEMBER)],
    "IET-UPOPS": [("NUV", M.CHAIR), ("SEI", M.MEMBER), ("ALG", M.MEMBER)],
}

# Every date below is the story's (see coordination/demo_calendar.py): seed_demo moves them all
# by the same whole number of weeks, so that STORY_DAY falls on the day the demo is built.
START = datetime.date(2024, 3, 1)
D = Designation.Kind
P, A = Designation.Capacity.PRINCIPAL, Designation.Capacity.ALTERNATE
# person, designating institution, kind, capacity, body or (convention, role), start, end, handover
DESIGNATIONS = [
    # Representatives to the NCM plenary (the Ministry of Defence seat is the demo's vacancy).
    ("nadia.haddad", "MoEC", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("viktor.sokolov", "MoEC", D.REPRESENTATIVE, A, "NCM", START, None, ""),
    ("lena.marchetti", "MoH", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("omar.diallo", "MoA", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("ivan.petrov", "NPPS", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("lucia.fernandez", "NPPS", D.REPRESENTATIVE, A, "NCM", START, None, ""),
    ("hana.kim", "MoEI", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("tomas.reyes", "VCS", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("aisha.bello", "VCS", D.REPRESENTATIVE, A, "NCM", START, None, ""),
    ("erik.lund", "EPA", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("maria.santos", "EPA", D.REPRESENTATIVE, A, "NCM", START, None, ""),
    ("yusuf.kaya", "SEI", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("sofia.rossi", "NUV", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("daniel.osei", "NUV", D.REPRESENTATIVE, A, "NCM", START, None, ""),
    ("claire.dubois", "CEL", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("raj.patel", "PHRL", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("anna.kowalski", "CCI", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("kofi.asante", "GVA", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("elena.volkova", "NWMC", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("marco.bianchi", "ALG", D.REPRESENTATIVE, P, "NCM", START, None, ""),
    ("peter.hansen", "MoD", D.REPRESENTATIVE, A, "NCM", START, None, ""),
    # Steering Committee, with a handover at the Ministry of Health.
    ("nadia.haddad", "MoEC", D.REPRESENTATIVE, P, "SC", START, None, ""),
    ("amara.okonkwo", "POPs Unit", D.REPRESENTATIVE, A, "SC", START, None, ""),
    (
        "grace.nakamura",
        "MoH",
        D.REPRESENTATIVE,
        P,
        "SC",
        START,
        datetime.date(2025, 7, 1),
        "Handed over to Lena Marchetti. Open files: the health chapter of the NIP update (draft 2 "
        "with the TC), the breast-milk monitoring data request to PHRL. Papers are in the shared "
        "folder 'SC/MoH'.",
    ),
    ("lena.marchetti", "MoH", D.REPRESENTATIVE, P, "SC", datetime.date(2025, 7, 1), None, ""),
    ("samuel.mensah", "MoH", D.REPRESENTATIVE, A, "SC", START, None, ""),
    ("omar.diallo", "MoA", D.REPRESENTATIVE, P, "SC", START, None, ""),
    ("hana.kim", "MoEI", D.REPRESENTATIVE, P, "SC", START, None, ""),
    ("tomas.reyes", "VCS", D.REPRESENTATIVE, P, "SC", START, None, ""),
    ("erik.lund", "EPA", D.REPRESENTATIVE, P, "SC", START, None, ""),
    ("kofi.asante", "GVA", D.REPRESENTATIVE, P, "SC", START, None, ""),
    # Executive Bureau.
    ("nadia.haddad", "MoEC", D.REPRESENTATIVE, P, "EB", START, None, ""),
    ("lena.marchetti", "MoH", D.REPRESENTATIVE, P, "EB", datetime.date(2025, 7, 1), None, ""),
    ("erik.lund", "EPA", D.REPRESENTATIVE, P, "EB", START, None, ""),
    # Technical Committee and the inventory expert teams.
    ("maria.santos", "EPA", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("sofia.rossi", "NUV", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("claire.dubois", "CEL", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("raj.patel", "PHRL", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("lucia.fernandez", "NPPS", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("yusuf.kaya", "SEI", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("aisha.bello", "VCS", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("elena.volkova", "NWMC", D.REPRESENTATIVE, P, "TC", START, None, ""),
    ("maria.santos", "EPA", D.REPRESENTATIVE, P, "IET-PCB", START, None, ""),
    ("elena.volkova", "NWMC", D.REPRESENTATIVE, P, "IET-PCB", START, None, ""),
    ("claire.dubois", "CEL", D.REPRESENTATIVE, P, "IET-PCB", START, None, ""),
    ("ivan.petrov", "NPPS", D.REPRESENTATIVE, P, "IET-PEST", START, None, ""),
    ("raj.patel", "PHRL", D.REPRESENTATIVE, P, "IET-PEST", START, None, ""),
    ("aisha.bello", "VCS", D.REPRESENTATIVE, P, "IET-PEST", START, None, ""),
    ("daniel.osei", "NUV", D.REPRESENTATIVE, P, "IET-UPOPS", START, None, ""),
    ("yusuf.kaya", "SEI", D.REPRESENTATIVE, P, "IET-UPOPS", START, None, ""),
    ("marco.bianchi", "ALG", D.REPRESENTATIVE, P, "IET-UPOPS", START, None, ""),
    # Convention roles, each with an alternate; one earlier focal point handed over.
    (
        "nadia.haddad",
        "MoEC",
        D.CONVENTION,
        P,
        ("stockholm", "official-contact-point"),
        START,
        None,
        "",
    ),
    (
        "viktor.sokolov",
        "MoEC",
        D.CONVENTION,
        A,
        ("stockholm", "official-contact-point"),
        START,
        None,
        "",
    ),
    (
        "pierre.lambert",
        "POPs Unit",
        D.CONVENTION,
        P,
        ("stockholm", "national-focal-point"),
        datetime.date(2022, 1, 10),
        datetime.date(2024, 9, 1),
        "Handed over to Amara Okonkwo. The fifth national report (2022) is filed in the library; "
        "the sixth round questionnaire arrived in July 2024. The GEF project contact is at UNEP.",
    ),
    (
        "amara.okonkwo",
        "POPs Unit",
        D.CONVENTION,
        P,
        ("stockholm", "national-focal-point"),
        datetime.date(2024, 9, 1),
        None,
        "",
    ),
    (
        "pierre.lambert",
        "POPs Unit",
        D.CONVENTION,
        A,
        ("stockholm", "national-focal-point"),
        datetime.date(2024, 9, 1),
        None,
        "",
    ),
    (
        "ivan.petrov",
        "NPPS",
        D.CONVENTION,
        P,
        ("rotterdam", "designated-national-authority"),
        START,
        None,
        "",
    ),
    (
        "amara.okonkwo",
        "POPs Unit",
        D.CONVENTION,
        A,
        ("rotterdam", "designated-national-authority"),
        START,
        None,
        "",
    ),
    (
        "nadia.haddad",
        "MoEC",
        D.CONVENTION,
        P,
        ("rotterdam", "official-contact-point"),
        START,
        None,
        "",
    ),
    (
        "pierre.lambert",
        "POPs Unit",
        D.CONVENTION,
        A,
        ("rotterdam", "official-contact-point"),
        START,
        None,
        "",
    ),
    ("erik.lund", "EPA", D.CONVENTION, P, ("basel", "competent-authority"), START, None, ""),
    ("maria.santos", "EPA", D.CONVENTION, A, ("basel", "competent-authority"), START, None, ""),
    ("amara.okonkwo", "POPs Unit", D.CONVENTION, P, ("basel", "focal-point"), START, None, ""),
    ("pierre.lambert", "POPs Unit", D.CONVENTION, A, ("basel", "focal-point"), START, None, ""),
    (
        "viktor.sokolov",
        "MoEC",
        D.CONVENTION,
        P,
        ("minamata", "national-focal-point"),
        START,
        None,
        "",
    ),
    (
        "samuel.mensah",
        "MoH",
        D.CONVENTION,
        A,
        ("minamata", "national-focal-point"),
        START,
        None,
        "",
    ),
    # Institution focal points.
    ("tomas.reyes", "VCS", D.INSTITUTION_FOCAL_POINT, P, None, START, None, ""),
    ("aisha.bello", "VCS", D.INSTITUTION_FOCAL_POINT, A, None, START, None, ""),
    ("amara.okonkwo", "POPs Unit", D.INSTITUTION_FOCAL_POINT, P, None, START, None, ""),
    ("erik.lund", "EPA", D.INSTITUTION_FOCAL_POINT, P, None, START, None, ""),
    ("ivan.petrov", "NPPS", D.INSTITUTION_FOCAL_POINT, P, None, START, None, ""),
]
d = datetime.date
T = Task.Status
F = Task.Funding
WORKPLAN_ACTIVITIES = [
    ("Update the POPs inventories", [
        ("Inventory of PCB-containing equipment in the power sector", "EPA", ["NWMC", "CEL"],
         "maria.santos", d(2026, 2, 1), d(2026, 9, 30), T.IN_PROGRESS, 60, "45000", "USD",
         F.DONOR, "GEF project 10785 (Global NIP Update)", ["stockholm", "basel"]),
        ("Customs data on imports of listed chemicals, 2020-2025", "VCS", ["POPs Unit"],
         "aisha.bello", d(2026, 3, 1), d(2026, 12, 15), T.IN_PROGRESS, 40, None, "",
         F.IN_KIND, "", ["stockholm", "rotterdam"]),
        ("Survey of obsolete pesticide stocks", "NPPS", ["MoA", "PHRL"], "lucia.fernandez",
         d(2026, 2, 15), d(2026, 6, 30), T.DELAYED, 30, "20000", "USD", F.NATIONAL, "",
         ["stockholm", "rotterdam"]),
        ("Release estimates of unintentional POPs with the Toolkit", "NUV", ["SEI"],
         "daniel.osei", d(2026, 4, 1), d(2027, 3, 31), T.IN_PROGRESS, 25, "15000", "USD",
         F.DONOR, "UNEP/GEF Global NIP Update", ["stockholm"]),
    ]),
    ("Monitoring and laboratory capacity", [
        ("Accreditation of PCB and OCP analysis methods", "CEL", ["PHRL"], "claire.dubois",
         d(2026, 1, 15), d(2027, 6, 30), T.IN_PROGRESS, 50, "30000", "EUR", F.DONOR,
         "EU chemicals programme", ["stockholm"]),
        ("Breast-milk monitoring campaign for the Global Monitoring Plan", "PHRL", ["MoH"],
         "raj.patel", d(2026, 5, 1), d(2026, 12, 10), T.NOT_STARTED, 0, None, "", F.IN_KIND,
         "", ["stockholm"]),
    ]),
    ("NIP update and reporting", [
        ("Draft the health chapter of the updated NIP", "MoH", [], "samuel.mensah",
         d(2026, 3, 1), d(2026, 10, 31), T.IN_PROGRESS, 70, None, "", F.NATIONAL, "",
         ["stockholm"]),
        ("Prepare the sixth national report under Article 15", "POPs Unit", ["VCS", "EPA"],
         "pierre.lambert", d(2026, 1, 10), d(2026, 8, 31), T.DONE, 100, "5000", "USD",
         F.NATIONAL, "", ["stockholm"]),
        ("Awareness campaign on PFAS in consumer products", "GVA", ["CCI"], "kofi.asante",
         d(2026, 9, 1), d(2027, 5, 31), T.NOT_STARTED, 0, "12000", "USD", F.DONOR,
         "SAICM Quick Start Programme", ["stockholm", "minamata"]),
    ]),
]  # fmt: skip
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

# --scale: each region beyond the first adds these; 31 regions make a national mechanism.
FULL_SCALE = 32
FULL_CUSTOMS_ROWS = 1_000_000
REGION_INSTITUTIONS = 16
REGION_PEOPLE = 10  # per institution
REGION_WORKPLANS = [(2022, 2023), (2024, 2025), (2026, 2027)]
REGION_ACTIVITIES = ["Inventories and data", "Monitoring and laboratories", "Waste and stockpiles",
                     "Awareness and training", "Enforcement and customs"]  # fmt: skip
REGION_TASKS_PER_ACTIVITY = 43  # 3 workplans x 5 activities x 43 = 645 tasks a region
REGION_MEETINGS = 64  # monthly from January of the first regional workplan's year
REGION_TASK_WORDS = ["Survey", "Training", "Inspection round", "Sampling campaign",
                     "Data review", "Workshop", "Stock audit", "Public information", "Site visit",
                     "Report"]  # fmt: skip
REGION_DONORS = ["GEF project 10785 (Global NIP Update)", "EU chemicals programme",
                 "SAICM Quick Start Programme", "UNIDO regional programme"]  # fmt: skip

# The Ministry of Defence's principal left; the seat stays vacant (the demo's one vacancy).
MOD_FORMER = ("peter.hansen", "MoD")


class Command(BaseCommand):
    help = "Load the demo mechanism of a fictional Party. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Add N-1 regions of institutions, people, tasks and meetings; 32 is the "
            "national size (about 500 institutions, 5,000 people, 20,000 tasks, 2,000 meetings).",
        )
        parser.add_argument(
            "--customs-rows",
            type=int,
            default=None,
            help="Customs declarations of the national extract loaded with --scale "
            "(default 1,000,000 x (N-1)/31; 0 for none).",
        )

    def handle(self, *args, scale: int = 1, customs_rows: int | None = None, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if customs_rows is None:
            customs_rows = FULL_CUSTOMS_ROWS * (scale - 1) // (FULL_SCALE - 1)
        if customs_rows < 0:
            raise CommandError("--customs-rows must be 0 or more.")
        self._seed(scale, customs_rows)
        if scale > 1 and connection.vendor == "postgresql":
            # After a bulk load the planner's statistics are those of an empty mechanism until
            # autovacuum comes by; fresh ones keep the first page views on good plans.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    @transaction.atomic
    def _seed(self, scale: int, customs_rows: int):
        ensure_role_groups()
        mandates = {m.code: m for m in Mandate.objects.all()}
        if not mandates:
            raise CommandError("Reference data is missing: run 'manage.py migrate' first.")
        self.calendar = self._calendar()

        institutions = self._institutions(mandates)
        people = self._people(institutions)
        bodies = self._bodies(institutions)
        self._memberships(bodies, institutions)
        self._designations(people, institutions, bodies)
        users = self._accounts(people, bodies)
        self._workplan(bodies["SC"], institutions, people, users)
        self._meetings(bodies, institutions, people, users)
        self._ballots(bodies, users)
        focal_point_permissions_sync()
        secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
        seed_inventories_demo(institutions=institutions, secretariat=secretariat)
        if scale > 1:
            self._scale(scale, bodies["NCM"], secretariat)
            self._scale_customs(customs_rows, institutions, users, secretariat)
        from nip_lifecycle.demo import seed_nip_demo  # the NIP cycles, past and current

        seed_nip_demo(bodies=bodies, people=people, users=users, calendar=self.calendar)
        focal_point_permissions_sync()
        from reporting.demo import seed_reporting_demo  # the Article 15 reports

        seed_reporting_demo(institutions=institutions, users=users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo mechanism ready: {Institution.objects.count()} institutions, "
                f"{Person.objects.count()} people, {Body.objects.count()} bodies, "
                f"{Designation.objects.count()} designations, {len(users)} demo accounts "
                f"(password: {DEMO_PASSWORD})."
            )
        )

    def _calendar(self) -> DemoCalendar:
        """The calendar of the demo already here (its workplan's adoption fixes it), or one that
        puts the story's day on today."""
        adopted = (
            WorkplanRevision.objects.filter(
                workplan__body__acronym="SC", workplan__title__startswith="Joint workplan",
                number=1, adopted_at__isnull=False,
            )
            .order_by("pk")
            .values_list("adopted_at", flat=True)
            .first()
        )  # fmt: skip
        if adopted is None:
            return DemoCalendar.for_day(timezone.localdate())
        day = timezone.localdate(adopted)
        return DemoCalendar(day - PLAN_ADOPTED)

    def _institutions(self, mandates):
        result = {}
        for acronym, name, kind, parent, codes in INSTITUTIONS:
            institution, created = Institution.objects.get_or_create(
                name=name,
                defaults={
                    "acronym": acronym,
                    "kind": kind,
                    "parent": result.get(parent),
                    "email": f"info@{acronym.lower().replace(' ', '-')}.gov.example",
                },
            )
            if created:
                institution.mandates.set([mandates[c] for c in codes])
            result[acronym] = institution
        return result

    def _people(self, institutions):
        result = {}
        for key, name, title, acronym, language in PEOPLE:
            result[key], _ = Person.objects.get_or_create(
                email=f"{key}@gov.example",
                defaults={
                    "name": name,
                    "title": title,
                    "institution": institutions[acronym],
                    "language": language,
                    "phone": "+000 555 0100",
                    "active": key != "grace.nakamura",
                },
            )
        return result

    def _bodies(self, institutions):
        conventions = {c.code: c for c in Convention.objects.all()}
        result = {}
        for acronym, name, kind, parent, per_year, notice, quorum, codes, mandate in BODIES:
            body, created = Body.objects.get_or_create(
                name=name,
                defaults={
                    "acronym": acronym,
                    "kind": kind,
                    "parent": result.get(parent),
                    "meetings_per_year": per_year,
                    "notice_period_days": notice,
                    "quorum_share": quorum,
                    "mandate": mandate,
                },
            )
            if created:
                body.conventions.set([conventions[c] for c in codes])
            result[acronym] = body
        return result

    def _memberships(self, bodies, institutions):
        for body_acronym, seats in MEMBERSHIPS.items():
            for acronym, role in seats:
                Membership.objects.get_or_create(
                    body=bodies[body_acronym],
                    institution=institutions[acronym],
                    start_date=self.calendar.on(d(2023, 11, 15)),
                    defaults={"role": role},
                )

    def _designations(self, people, institutions, bodies):
        roles = {
            (r.convention.code, r.code): r
            for r in ConventionRole.objects.select_related("convention")
        }
        rows = list(DESIGNATIONS)
        # The MoD's former principal: ended, with a handover note, and nobody named since.
        rows.append(
            (
                MOD_FORMER[0],
                MOD_FORMER[1],
                D.REPRESENTATIVE,
                P,
                "NCM",
                START,
                d(2026, 6, 30),
                "Colonel Hansen was posted abroad. Until the Ministry names a new principal, he "
                "stays the alternate. The PCB inventory of military sites is half done.",
            )
        )
        on = self.calendar.on
        for person, inst, kind, capacity, target, start, end, handover in rows:
            start, end = on(start), end and on(end)
            Designation.objects.get_or_create(
                person=people[person],
                institution=institutions[inst],
                kind=kind,
                capacity=capacity,
                body=bodies[target] if kind == D.REPRESENTATIVE else None,
                convention_role=roles[target] if kind == D.CONVENTION else None,
                start_date=start,
                defaults={
                    "end_date": end,
                    "handover_note": handover,
                    "ended_at": timezone.make_aware(
                        datetime.datetime.combine(end, datetime.time(9))
                    )
                    if handover
                    else None,
                    "designated_by": f"Letter of the head of {institutions[inst].name}",
                    "secretariat_notified": kind == D.CONVENTION,
                    "secretariat_notified_on": start if kind == D.CONVENTION else None,
                },
            )
        # One designation close to its end (inside the warning window), so the dashboard shows
        # what that looks like.
        Designation.objects.get_or_create(
            person=people["daniel.osei"],
            institution=institutions["NUV"],
            kind=D.REPRESENTATIVE,
            capacity=A,
            body=bodies["TC"],
            start_date=on(START),
            defaults={"end_date": on(STORY_DAY + datetime.timedelta(days=45))},
        )

    def _accounts(self, people, bodies):
        users = []
        for email, full_name, role, person_key in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    is_staff=role == Role.ADMINISTRATOR,
                    is_superuser=role == Role.ADMINISTRATOR,
                )
                user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
                if person_key:
                    person = people[person_key]
                    person.user = user
                    person.save(update_fields=["user"])
                    user.language = person.language
                    user.save(update_fields=["language"])
                if role == Role.SECRETARIAT:
                    for body in bodies.values():
                        assign_perm("coordination.change_body", user, body)
            users.append(user)
        return users

    def _workplan(self, body, institutions, people, users):
        """A joint workplan of the Steering Committee, adopted, with a round half reported."""
        secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
        calendar = self.calendar
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
            for (task_title, lead, supporting, assignee, start, due, status, percent, budget,
                 currency, funding, donor, codes) in tasks:  # fmt: skip
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
            if (
                match
                and not ProgressReport.objects.filter(round=reporting_round, task=task).exists()
            ):
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

    def _meetings(self, bodies, institutions, people, users):
        """Two years of Steering and Technical Committee meetings, with attendance patterns
        (the Ministry of Economy often absent, the Ministry of Agriculture and the waste company
        often sending stand-ins), approved minutes, agenda documents and external events."""
        secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
        zone = "Africa/Nairobi"
        plans = [
            ("SC", d(2025, 3, 12), "held"), ("SC", d(2025, 10, 8), "held"),
            ("SC", d(2026, 4, 15), "held"), ("SC", d(2026, 10, 14), "circulated"),
            ("SC", NEXT_SC, "convened"),
            ("TC", d(2025, 2, 19), "held"), ("TC", d(2025, 5, 21), "held"),
            ("TC", d(2025, 8, 20), "held"), ("TC", d(2025, 11, 19), "held"),
            ("TC", d(2026, 2, 18), "held"), ("TC", d(2026, 5, 20), "held"),
            ("TC", d(2026, 8, 19), "held"), ("TC", d(2027, 1, 20), "planned"),
        ]  # fmt: skip
        often_absent = {"SC": "MoEI", "TC": "SEI"}
        stand_ins = {"SC": "MoA", "TC": "NWMC"}
        for index, (acronym, day, state) in enumerate(plans):
            day = self.calendar.on(day)
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
                AgendaItem.objects.create(meeting=meeting, order=1, title="Adoption of the agenda",
                                          expected_outcome="decision"),
                AgendaItem.objects.create(meeting=meeting, order=2,
                                          title="Progress of the joint workplan",
                                          expected_outcome="discussion"),
                AgendaItem.objects.create(
                    meeting=meeting, order=3,
                    title=("PCB inventory: validation of the draft report" if acronym == "TC"
                           else "NIP update: priorities and endorsement path"),
                    expected_outcome="decision"),
            ]  # fmt: skip
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
                document=document, number=1, original_name="agenda.txt", size=len(content),
                sha256=hashlib.sha256(content).hexdigest(), language="en",
                uploaded_by=secretariat,
            )  # fmt: skip
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
                    presence, person, stand_in = "principal", reps[(seat.institution_id,
                                                                     "principal")], ""  # fmt: skip
                elif (seat.institution_id, "alternate") in reps:
                    presence, person, stand_in = "alternate", reps[(seat.institution_id,
                                                                     "alternate")], ""  # fmt: skip
                else:
                    presence, person, stand_in = "excused", None, ""
                Attendance.objects.create(
                    meeting=meeting, institution=seat.institution, presence=presence,
                    person=person, stand_in_name=stand_in,
                    mode=("online" if index % 2 else "in_person") if presence in
                    Attendance.PRESENT else "",
                )  # fmt: skip
            minutes = Minutes.objects.create(
                meeting=meeting,
                version=1,
                status=Minutes.Status.CIRCULATED
                if state == "circulated"
                else Minutes.Status.APPROVED,
                circulated_at=start + datetime.timedelta(days=7),
                approved_at=None if state == "circulated" else start + datetime.timedelta(days=40),
                approved_by=None if state == "circulated" else secretariat,
            )
            for item in items:
                MinutesItem.objects.create(
                    minutes=minutes, agenda_item=item,
                    summary=f"Discussed: {item.title}.",
                    decisions="Agreed." if item.expected_outcome == "decision" else "",
                )  # fmt: skip
            if state != "circulated":
                meeting.status = Meeting.Status.MINUTES_APPROVED
                meeting.save(update_fields=["status"])
        on, year = self.calendar.on, self.calendar.year
        events = [
            (f"{year(2025)} meetings of the Conferences of the Parties to the BRS conventions",
             "cop", on(d(2025, 4, 28)), on(d(2025, 5, 9)), "Geneva", "https://www.brsmeas.org"),
            ("Regional workshop on NIP review and update, Africa", "regional",
             on(d(2026, 6, 10)), on(d(2026, 6, 12)), "Dakar", ""),
            ("Webinar: alternatives to PFAS in firefighting foams", "webinar", on(d(2026, 12, 3)),
             on(d(2026, 12, 3)), "Online", ""),
            (f"{year(2027)} meetings of the Conferences of the Parties to the BRS conventions",
             "cop", on(d(2027, 5, 3)), on(d(2027, 5, 14)), "Geneva", "https://www.brsmeas.org"),
        ]  # fmt: skip
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

    def _ballots(self, bodies, users):
        """Closed ballots (adopted, rejected, quorum not met, a silence procedure) and one open."""
        from coordination.ballots import events
        from coordination.ballots import services as votes
        from coordination.models import Ballot, NamedVote, Participation

        secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
        calendar = self.calendar
        plan = period_name(calendar.month_start(PLAN_START), calendar.month_end(PLAN_END))
        held = calendar.on(d(2026, 4, 15))  # the Steering Committee meeting of April
        plans = [
            ("SC", f"Adopt the joint workplan {plan}?", "yes_no", {}, 300,
             {"MoEC": "yes", "MoH": "yes", "MoA": "yes", "VCS": "yes", "EPA": "no",
              "MoEI": "abstain"}),
            ("SC", "Request a budget line for the PCB elimination programme?", "yes_no",
             {"majority": "two_thirds"}, 200,
             {"MoEC": "yes", "MoH": "yes", "MoA": "no", "VCS": "no", "EPA": "yes"}),
            ("TC", "Validate the draft inventory of obsolete pesticides?", "yes_no", {}, 120,
             {"EPA": "yes", "NUV": "yes"}),
            ("SC", f"Approve the minutes of the {held:%B %Y} meeting (silence procedure)?",
             "silence", {}, 180, {}),
        ]  # fmt: skip
        for acronym, question, kind, rules, days_ago, cast in plans:
            if Ballot.objects.filter(question=question).exists():
                continue
            ballot = votes.ballot_create(
                actor=secretariat, body=bodies[acronym], question=question, kind=kind,
                closes_at=timezone.now() + datetime.timedelta(days=1), **rules,
            )  # fmt: skip
            ballot = votes.ballot_open(actor=secretariat, ballot=ballot)
            for elector in ballot.electors.select_related("institution").prefetch_related(
                "voters__person"
            ):
                code = cast.get(elector.institution.acronym)
                voter = next((v for v in elector.voters.all() if v.capacity == "principal"), None)
                if code is None or voter is None:
                    continue
                participation = Participation.objects.create(
                    ballot=ballot, elector=elector, cast_by=voter.person
                )
                NamedVote.objects.create(
                    participation=participation, option=ballot.options.get(code=code),
                    receipt=votes._receipt(),
                )  # fmt: skip
                events.audit(ballot, "vote_received", elector=str(elector), option=code)
            closes = calendar.at(STORY_DAY, 12) - datetime.timedelta(days=days_ago)
            Ballot.objects.filter(pk=ballot.pk).update(
                opens_at=closes - datetime.timedelta(days=10),
                opened_at=closes - datetime.timedelta(days=10),
                closes_at=closes,
            )
            votes.ballot_close(ballot=Ballot.objects.get(pk=ballot.pk), now=closes)
        question = "Endorse the updated NIP for transmission to the COP?"
        if not Ballot.objects.filter(question=question).exists():
            ballot = votes.ballot_create(
                actor=secretariat, body=bodies["SC"], question=question,
                explanation=f"The Technical Committee cleared the draft in "
                f"{calendar.on(d(2026, 10, 14)):%B %Y}.",
                closes_at=timezone.now() + datetime.timedelta(days=4),  # closes in a few days
            )  # fmt: skip
            votes.ballot_open(actor=secretariat, ballot=ballot)

    def _scale(self, scale, ncm, secretariat):
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
            Membership(body=ncm, institution=inst, start_date=self.calendar.on(START))
            for inst in fresh
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
                    start_date=self.calendar.on(START),
                )
                for inst in fresh
            ],
            batch_size=2000,
        )
        institutions = {
            i.name: i for i in Institution.objects.filter(name__in=names).order_by("name")
        }
        staff: dict[int, list[Person]] = {}
        for person in Person.objects.filter(
            institution__in=institutions.values(), email__startswith="officer"
        ).order_by("institution_id", "pk"):
            staff.setdefault(person.institution_id, []).append(person)
        done = set(
            Body.objects.filter(acronym__startswith="RCC", parent=ncm).values_list(
                "acronym", flat=True
            )
        )
        for region in range(1, scale):
            acronym = f"RCC{region:02d}"
            if acronym in done:
                continue
            members = [institutions[n] for n in names[(region - 1) * REGION_INSTITUTIONS :
                                                        region * REGION_INSTITUTIONS]]  # fmt: skip
            body = self._region_body(region, acronym, ncm, members, staff, secretariat)
            self._region_workplans(region, body, members, staff, secretariat)
            self._region_meetings(region, body, members, staff, secretariat)

    def _region_body(self, region, acronym, ncm, members, staff, secretariat):
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
        since = d(self.calendar.year(2021), 12, 1)
        Membership.objects.bulk_create(
            [
                Membership(
                    body=body,
                    institution=inst,
                    start_date=since,
                    role=M.CHAIR if n == 0 else M.MEMBER,
                )
                for n, inst in enumerate(members)
            ]  # fmt: skip
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
            ]  # fmt: skip
        )
        assign_perm("coordination.change_body", secretariat, body)
        return body

    def _region_workplans(self, region, body, members, staff, secretariat):
        """Three two-year workplans: the past ones mostly done (a few tasks still open and so
        overdue), the current one under way, its later tasks not started."""
        import random
        from decimal import Decimal

        rng = random.Random(region)
        today = timezone.localdate()
        conventions = list(Convention.objects.order_by("code"))
        for first_year, last_year in REGION_WORKPLANS:
            first_year, last_year = self.calendar.year(first_year), self.calendar.year(last_year)
            period_start, period_end = d(first_year, 1, 1), d(last_year, 12, 31)
            workplan = Workplan.objects.create(
                body=body, title=f"Regional workplan {first_year}-{last_year}",
                period_start=period_start, period_end=period_end, created_by=secretariat,
            )  # fmt: skip
            activities = Activity.objects.bulk_create(
                [
                    Activity(workplan=workplan, title=title, order=n)
                    for n, title in enumerate(REGION_ACTIVITIES, start=1)
                ]  # fmt: skip
            )
            tasks = []
            for activity in activities:
                for n in range(REGION_TASKS_PER_ACTIVITY):
                    lead = members[rng.randrange(len(members))]
                    start = period_start + datetime.timedelta(days=rng.randrange(600))
                    due = min(start + datetime.timedelta(days=rng.randrange(30, 240)), period_end)
                    if due < today:
                        roll = rng.random()
                        status = T.DONE if roll < 0.82 else T.CANCELLED if roll < 0.86 else (
                            T.DELAYED if roll < 0.93 else T.IN_PROGRESS)  # fmt: skip
                    elif start > today:
                        status = T.NOT_STARTED
                    else:
                        status = T.DELAYED if rng.random() < 0.15 else T.IN_PROGRESS
                    percent = {T.DONE: 100, T.NOT_STARTED: 0, T.CANCELLED: 0}.get(
                        status, rng.randrange(5, 95, 5)
                    )
                    funding = rng.choice([F.NATIONAL, F.NATIONAL, F.DONOR, F.IN_KIND])
                    budget = (
                        None if funding == F.IN_KIND
                        else Decimal(rng.randrange(1, 200) * 500)
                    )  # fmt: skip
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
                ],  # fmt: skip
                batch_size=5000,
            )
            Task.supporting_institutions.through.objects.bulk_create(
                [
                    Task.supporting_institutions.through(
                        task_id=t.pk, institution_id=members[t.pk % len(members)].pk
                    )
                    for t in tasks
                    if t.pk % 3 == 0 and members[t.pk % len(members)].pk != t.lead_institution_id
                ],  # fmt: skip
                batch_size=5000,
            )

    def _region_meetings(self, region, body, members, staff, secretariat):
        """Monthly meetings from January of the first workplan's year: those past held with
        attendance (principals mostly, alternates, stand-ins, some excused or absent), the next one
        convened."""
        zone = zoneinfo.ZoneInfo("Africa/Nairobi")
        now = timezone.now()
        meetings = []
        for n in range(REGION_MEETINGS):
            month = d(self.calendar.year(2022) + n // 12, n % 12 + 1, 1) + datetime.timedelta(
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
                )  # fmt: skip
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
                    )  # fmt: skip
                )
        Attendance.objects.bulk_create(rows, batch_size=5000)

    def _scale_customs(self, rows, institutions, users, secretariat):
        """The customs service's national extract for a year, through the real pipeline."""
        from inventories.demo import seed_national_customs

        focal = next((u for u in users if u.email == "focal.point@ncm.example"), secretariat)
        seed_national_customs(
            institution=institutions["VCS"], uploader=focal, reviewer=secretariat, rows=rows
        )
