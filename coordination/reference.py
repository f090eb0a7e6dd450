"""Reference data: the four conventions, the roles each asks a Party to designate, and the
mandates institutions hold. Loaded by migration 0002 and refreshed after every migrate or flush.

Sources: the convention texts (Stockholm Art. 9(3) national focal point and the official contact
points registered with the BRS Secretariat; Rotterdam Art. 4 designated national authority;
Basel Art. 5 competent authority and focal point; Minamata Art. 17(4) national focal point).
"""

from django.apps import apps as global_apps

CONVENTIONS = [
    (
        "basel",
        "Basel",
        "Basel Convention on the Control of Transboundary Movements of Hazardous "
        "Wastes and their Disposal",
        "https://www.basel.int",
        1,
    ),
    (
        "rotterdam",
        "Rotterdam",
        "Rotterdam Convention on the Prior Informed Consent Procedure for "
        "Certain Hazardous Chemicals and Pesticides in International Trade",
        "https://www.pic.int",
        2,
    ),
    (
        "stockholm",
        "Stockholm",
        "Stockholm Convention on Persistent Organic Pollutants",
        "https://www.pops.int",
        0,
    ),
    (
        "minamata",
        "Minamata",
        "Minamata Convention on Mercury",
        "https://www.mercuryconvention.org",
        3,
    ),
]

ROLES = [
    (
        "stockholm",
        "official-contact-point",
        "Official contact point",
        "Receives official communications from the Secretariat and the Conference of the Parties.",
        0,
    ),
    (
        "stockholm",
        "national-focal-point",
        "National focal point",
        "Exchanges information under Article 9.",
        1,
    ),
    (
        "rotterdam",
        "designated-national-authority",
        "Designated national authority",
        "Performs the administrative functions of Article 4, including import responses.",
        0,
    ),
    (
        "rotterdam",
        "official-contact-point",
        "Official contact point",
        "Receives official communications from the Secretariat.",
        1,
    ),
    (
        "basel",
        "competent-authority",
        "Competent authority",
        "Receives notifications of transboundary movements and responds to them (Article 5).",
        0,
    ),
    (
        "basel",
        "focal-point",
        "Focal point",
        "Transmits and receives information under Articles 13 and 16 (Article 5).",
        1,
    ),
    (
        "minamata",
        "national-focal-point",
        "National focal point",
        "Exchanges information under Article 17(4).",
        0,
    ),
]

MANDATES = [
    ("pesticides", "Pesticides"),
    ("industrial-chemicals", "Industrial chemicals"),
    ("waste", "Waste management"),
    ("health", "Health"),
    ("border-control", "Border control and trade"),
    ("environmental-monitoring", "Environmental monitoring"),
    ("inspection-enforcement", "Inspection and enforcement"),
    ("laboratory-analysis", "Laboratory analysis"),
    ("research", "Research and training"),
    ("mercury", "Mercury"),
    ("industry-energy", "Industry and energy"),
    ("local-implementation", "Local implementation"),
    ("awareness", "Public awareness and information"),
]


def ensure_reference_data(apps=None, **kwargs) -> None:
    """Create the reference rows that are missing; edits made by administrators stay."""
    apps = apps or global_apps
    Convention = apps.get_model("coordination", "Convention")
    ConventionRole = apps.get_model("coordination", "ConventionRole")
    Mandate = apps.get_model("coordination", "Mandate")
    by_code = {}
    for code, short, title, url, order in CONVENTIONS:
        by_code[code], _ = Convention.objects.get_or_create(
            code=code,
            defaults={"short_name": short, "full_title": title, "website": url, "order": order},
        )
    for conv, code, name, description, order in ROLES:
        ConventionRole.objects.get_or_create(
            convention=by_code[conv],
            code=code,
            defaults={"name": name, "description": description, "order": order},
        )
    for order, (code, name) in enumerate(MANDATES):
        Mandate.objects.get_or_create(code=code, defaults={"name": name, "order": order})
