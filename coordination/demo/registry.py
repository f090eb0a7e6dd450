"""The demo mechanism's registry: institutions, people, bodies and their seats, and the demo
accounts (with the password the README gives)."""

import datetime

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from coordination.models import (
    ROLE_GROUPS,
    Body,
    Convention,
    Institution,
    Membership,
    Person,
    Role,
    User,
)

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


def seed_institutions(mandates):
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


def seed_people(institutions):
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


def seed_bodies():
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


def seed_memberships(calendar, bodies, institutions):
    for body_acronym, seats in MEMBERSHIPS.items():
        for acronym, role in seats:
            Membership.objects.get_or_create(
                body=bodies[body_acronym],
                institution=institutions[acronym],
                start_date=calendar.on(datetime.date(2023, 11, 15)),
                defaults={"role": role},
            )


def seed_accounts(people, bodies):
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
