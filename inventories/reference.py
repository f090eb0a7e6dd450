"""Loads the reference tables kept in inventories/reference/ (each row keeps its source): the 37
chemicals listed under the Stockholm Convention, the HS codes that point to them, and the Toolkit's
source groups, categories and the emission factors confirmed in the reference. Idempotent."""

import csv
import re
from decimal import Decimal
from pathlib import Path

from django.db import transaction

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
FACTOR_SOURCE = (
    "UNEP Toolkit 2013, Table II.1.5 (medical waste); toolkit.pops.int Annex 46 (open burning)"
)


# (category, class, description, vector, µg TEQ per tonne); only the rows the reference confirms.
EMISSION_FACTORS = [
    ("1c", 1, "Uncontrolled batch combustion, no air pollution control", "air", "40000"),
    ("1c", 1, "Uncontrolled batch combustion, no air pollution control", "residue", "200"),
    ("1c", 2, "Controlled batch combustion, no or minimal air pollution control", "air", "3000"),
    ("1c", 2, "Controlled batch combustion, no or minimal air pollution control", "residue", "20"),
    ("1c", 3, "Controlled batch combustion, good air pollution control", "air", "525"),
    ("1c", 3, "Controlled batch combustion, good air pollution control", "residue", "920"),
    (
        "1c",
        4,
        "High-technology continuous combustion, sophisticated air pollution control",
        "air",
        "1",
    ),
    (
        "1c",
        4,
        "High-technology continuous combustion, sophisticated air pollution control",
        "residue",
        "150",
    ),
    ("6b", 1, "Open burning of waste: dump fires (dioxin-like PCB only)", "air", "30"),
    ("6b", 2, "Open burning of domestic waste (dioxin-like PCB only)", "air", "2"),
]


def _year(text: str) -> int:
    return int(re.match(r"\d{4}", text).group())


@transaction.atomic
def ensure_reference_data(apps=None) -> None:
    get = apps.get_model if apps else _get_model
    Chemical = get("inventories", "Chemical")
    HSCode = get("inventories", "HSCode")
    SourceGroup = get("inventories", "SourceGroup")
    SourceCategory = get("inventories", "SourceCategory")
    EmissionFactor = get("inventories", "EmissionFactor")

    chemicals = {}
    with open(REFERENCE_DIR / "chemicals.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            annexes = row["annex"].split(";")
            categories = row["categories"].split(";")
            chemicals[row["slug"]], _ = Chemical.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "cas_numbers": row["cas_numbers"],
                    "annex_a": "A" in annexes,
                    "annex_b": "B" in annexes,
                    "annex_c": "C" in annexes,
                    "listed_at": row["listed_at"][:120],
                    "listed_year": _year(row["year"]),
                    "entry_into_force": row["year"][:160],
                    "is_pesticide": "pesticide" in categories,
                    "is_industrial": "industrial" in categories,
                    "is_unintentional": "unintentional" in categories,
                    "exemptions": row["notes"],
                    "source": "pops.csv: chm.pops.int listing decisions (see DOMAIN.md section 1)",
                },
            )
    with open(REFERENCE_DIR / "hs_codes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, _ = HSCode.objects.update_or_create(
                code=row["code"],
                defaults={
                    "digits": "".join(ch for ch in row["code"] if ch.isdigit()),
                    "description": row["description"],
                    "match": row["match"],
                    "chemical_note": row["chemical_note"],
                    "source": row["source"],
                },
            )
            code.chemicals.set([chemicals[s] for s in row["chemicals"].split(";")])
    with open(REFERENCE_DIR / "toolkit_categories.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            group, _ = SourceGroup.objects.update_or_create(
                number=int(row["group"]), defaults={"name": row["group_name"]}
            )
            SourceCategory.objects.update_or_create(
                group=group,
                letter=row["letter"],
                defaults={"name": row["category"], "unconfirmed": row["unconfirmed"] == "yes"},
            )
    categories = {
        f"{c.group.number}{c.letter}": c for c in SourceCategory.objects.select_related("group")
    }
    for code, number, description, vector, factor in EMISSION_FACTORS:
        EmissionFactor.objects.get_or_create(
            category=categories[code],
            class_number=number,
            vector=vector,
            defaults={
                "class_description": description,
                "factor": Decimal(factor),
                "activity_unit": "t",
                "source": FACTOR_SOURCE,
            },
        )


def _get_model(app_label, name):
    from django.apps import apps

    return apps.get_model(app_label, name)
