"""Reference data of the NIP cycle: the amendments to the annexes adopted by each Conference of
the Parties, and the eight steps with their default checklists and expected deliverables.

Sources (see ../shared/reference/DOMAIN.md, sections 1.2 and 4.2):
- UN Treaty Collection XXVII-15; WIPO Lex treaty record 265 (depositary notification numbers);
  pops.int "Amendments to annexes"; depositary notification C.N.703.2011 (entry-into-force rule:
  one year after the depositary's communication, for every Party that has not opted out; an
  Article 25(4) Party is bound 90 days after depositing its own ratification of the amendment).
- UNEP "Guidance for developing a NIP for the Stockholm Convention" (2005) and the revised draft
  guidance (2017), phases I to V; SC-1/12 and SC-2/7 on review and update.
Dates marked unconfirmed are best estimates: check them against chm.pops.int before relying on
them.
"""

import datetime

from django.apps import apps as global_apps

SOURCE = (
    "UN Treaty Collection XXVII-15; WIPO Lex treaty 265; pops.int Amendments to annexes; "
    "depositary notification C.N.703.2011."
)

# code, meeting, year, decisions, chemicals, entry into force (general), confirmed, note
AMENDMENTS = [
    (
        "cop-4",
        "COP-4",
        2009,
        "SC-4/10 to SC-4/18",
        "alpha-HCH, beta-HCH, chlordecone, hexabromobiphenyl, hexaBDE and heptaBDE, lindane, "
        "pentachlorobenzene, PFOS, its salts and PFOSF, tetraBDE and pentaBDE",
        datetime.date(2010, 8, 26),
        True,
        "Depositary notice C.N.524.2009 of 26 Aug 2009. The mapping of decisions to chemicals "
        "follows alphabetical order [unconfirmed].",
    ),
    (
        "cop-5",
        "COP-5",
        2011,
        "SC-5/3",
        "Technical endosulfan and its related isomers",
        datetime.date(2012, 10, 27),
        True,
        "C.N.703.2011 of 27 Oct 2011.",
    ),
    (
        "cop-6",
        "COP-6",
        2013,
        "SC-6/13",
        "Hexabromocyclododecane (HBCD)",
        datetime.date(2014, 11, 26),
        True,
        "C.N.934.2013 of 26 Nov 2013. Decision number unconfirmed.",
    ),
    (
        "cop-7",
        "COP-7",
        2015,
        "SC-7/12 to SC-7/14",
        "Pentachlorophenol and its salts and esters, polychlorinated naphthalenes, "
        "hexachlorobutadiene",
        datetime.date(2016, 12, 15),
        True,
        "C.N.681.2015 of 15 Dec 2015. Decision numbers unconfirmed.",
    ),
    (
        "cop-8",
        "COP-8",
        2017,
        "SC-8/10 to SC-8/12",
        "DecaBDE, short-chain chlorinated paraffins; HCBD added to Annex C",
        datetime.date(2018, 12, 18),
        True,
        "C.N.766.2017 of 18 Dec 2017. Decision numbers unconfirmed.",
    ),
    (
        "cop-9",
        "COP-9",
        2019,
        "SC-9/11 to SC-9/12",
        "Dicofol, PFOA, its salts and PFOA-related compounds; PFOS exemptions amended",
        datetime.date(2020, 12, 3),
        True,
        "C.N.588.2019 of 3 Dec 2019. Decision numbers unconfirmed.",
    ),
    (
        "cop-10",
        "COP-10",
        2022,
        "SC-10/13",
        "PFHxS, its salts and PFHxS-related compounds",
        datetime.date(2023, 11, 16),
        True,
        "pops.int amendments page. Decision number unconfirmed.",
    ),
    (
        "cop-11",
        "COP-11",
        2023,
        "COP-11 amendments",
        "Methoxychlor, Dechlorane Plus, UV-328",
        None,
        False,
        "Entered into force in 2025; exact date unconfirmed (pops.int will update its table). "
        "Decision numbers unconfirmed.",
    ),
    (
        "cop-12",
        "COP-12",
        2025,
        "SC-12/9, SC-12/10, SC-12/12, SC-12/14",
        "Chlorpyrifos, medium-chain chlorinated paraffins, long-chain PFCAs (C9-C21) with their "
        "salts and related compounds; UV-328 exemption added",
        None,
        False,
        "Expected to enter into force about 2026, one year after the depositary notice; "
        "date unconfirmed.",
    ),
]

# number, name, sub-activities, technical review, steering approval, checklist, deliverables
STEPS = [
    (
        1,
        "Identify the need to review and update",
        "Screen external and internal triggers; track entry-into-force dates of amendments; check "
        "Article 15 findings; gap check of the existing NIP.",
        False,
        False,
        [
            "Screen external and internal triggers",
            "Record the entry-into-force dates for the Party",
            "Check the findings of Article 15 reporting",
            "Gap check of the existing NIP",
        ],
        ["Trigger assessment note", "Decision to update"],
    ),
    (
        2,
        "Initiate the review and update",
        "Government mandate; lead ministry named; scope; funding request; workplan and budget.",
        False,
        False,
        [
            "Obtain the government mandate",
            "Name the lead ministry",
            "Define the scope",
            "Prepare the funding request",
            "Prepare the workplan and budget",
        ],
        ["Mandate or project document", "Approved workplan"],
    ),
    (
        3,
        "Establish the coordinating mechanism and organise the process",
        "Set up or re-activate the coordinating committee; identify stakeholders; appoint the "
        "project coordinator and task teams; awareness raising; information management.",
        False,
        False,
        [
            "Re-activate the coordinating committee",
            "Identify stakeholders",
            "Appoint the project coordinator and task teams",
            "Agree the communication plan",
        ],
        ["Terms of reference and member list", "Communication plan"],
    ),
    (
        4,
        "POPs inventories and national capacity assessment",
        "Inventories of POP pesticides, PCB, industrial POPs, unintentional POPs, wastes and "
        "contaminated sites; assessment of the legal, institutional, monitoring and laboratory "
        "capacity.",
        True,
        True,
        [
            "Complete the inventories of the newly listed chemicals",
            "Update the existing inventories",
            "Assess the legal and institutional framework",
            "Identify data gaps",
        ],
        ["Inventory reports", "Capacity assessment"],
    ),
    (
        5,
        "Priority assessment and objective setting",
        "Country criteria; stakeholder workshop; rank issues; set objectives and targets.",
        True,
        True,
        [
            "Agree the criteria and their weights",
            "Score the issues",
            "Hold the stakeholder workshop",
            "Set objectives and targets",
        ],
        ["Priority list and national objectives", "Validation workshop report"],
    ),
    (
        6,
        "Formulate the revised NIP",
        "Action plans per obligation; activities, timelines, responsibilities, indicators; "
        "costing; socio-economic assessment; stakeholder review of the draft.",
        True,
        True,
        [
            "Draft the action plans",
            "Cost the action plans",
            "Hold the consultation on the draft",
            "Resolve every consultation comment",
        ],
        ["Draft updated NIP with costed action plans", "Consultation comment log"],
    ),
    (
        7,
        "Endorse the revised NIP",
        "National validation workshop; inter-ministerial clearance; formal government endorsement.",
        False,
        True,
        ["Hold the national validation workshop", "Obtain inter-ministerial clearance"],
        ["Endorsed NIP", "Endorsement record"],
    ),
    (
        8,
        "Transmit to the Conference of the Parties",
        "The official contact point transmits the NIP to the Secretariat within two years of the "
        "amendment's entry into force; publish it; start implementation and monitoring.",
        False,
        False,
        [
            "Transmit through the official contact point",
            "Publish the NIP",
            "Start implementation tracking",
        ],
        ["Transmittal letter"],
    ),
]

# The criteria of step 5 (DOMAIN 4.2 and the issue): name, default weight.
CRITERIA = [
    ("Risk to health", 3),
    ("Risk to the environment", 3),
    ("Extent of the problem", 2),
    ("Legal obligation", 3),
    ("Capacity gap", 2),
    ("Cost", 1),
]


def ensure_reference_data(apps=None, **kwargs) -> None:
    """Create the missing reference rows; edits made by administrators stay."""
    apps = apps or global_apps
    ReferenceAmendment = apps.get_model("nip_lifecycle", "ReferenceAmendment")
    StepTemplate = apps.get_model("nip_lifecycle", "StepTemplate")
    for order, (code, meeting, year, decisions, chemicals, eif, confirmed, note) in enumerate(
        AMENDMENTS
    ):
        ReferenceAmendment.objects.get_or_create(
            code=code,
            defaults={
                "meeting": meeting,
                "year": year,
                "decisions": decisions,
                "chemicals": chemicals,
                "entry_into_force": eif,
                "date_confirmed": confirmed,
                "note": note,
                "source": SOURCE,
                "order": order,
            },
        )
    for number, name, description, review, approval, checklist, deliverables in STEPS:
        StepTemplate.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "description": description,
                "needs_technical_review": review,
                "needs_approval": approval,
                "checklist": checklist,
                "deliverables": deliverables,
            },
        )
