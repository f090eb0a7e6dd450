"""The demo mechanism's designations: representatives to the bodies, institution focal points and
the Conventions' national focal points, with one seat vacant and one designation near its end."""

import datetime

from django.utils import timezone

from coordination.demo_calendar import STORY_DAY
from coordination.models import ConventionRole, Designation

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

# The Ministry of Defence's principal left; the seat stays vacant (the demo's one vacancy).
MOD_FORMER = ("peter.hansen", "MoD")


def seed_designations(calendar, people, institutions, bodies):
    roles = {
        (r.convention.code, r.code): r for r in ConventionRole.objects.select_related("convention")
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
            datetime.date(2026, 6, 30),
            "Colonel Hansen was posted abroad. Until the Ministry names a new principal, he "
            "stays the alternate. The PCB inventory of military sites is half done.",
        )
    )
    on = calendar.on
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
                "ended_at": timezone.make_aware(datetime.datetime.combine(end, datetime.time(9)))
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
