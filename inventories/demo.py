"""Demo inventories for the fictional Republic of Veridia: a year of customs declarations with some
POPs lines, monitoring results, a pesticide stock inventory, a PCB equipment inventory,
unintentional POPs activity data and a year of transboundary movements of wastes, each uploaded as a file by its institution, validated and
accepted by the technical committee. Files are generated deterministically, so running the demo
again recognises them by their hash and changes nothing."""

import csv
import datetime
import io
import random
import tempfile

from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import Institution, User
from inventories import services
from inventories.models import (
    Chemical,
    DatasetVersion,
    HSCode,
    NationalProductCode,
    SubmissionSchedule,
)
from inventories.schemas import schema_for

PARTNERS = ["DE", "FR", "IN", "CN", "US", "AU", "NZ", "FJ", "JP", "BR"]
ORDINARY_HS = [
    "0901.11",
    "8471.30",
    "8703.23",
    "3004.90",
    "6109.10",
    "2710.19",
    "8517.13",
    "3923.30",
    "7308.90",
    "8418.10",
    "2202.10",
    "1006.30",
]
POPS_HS = [
    ("3824.82", "Transformer oil, askarel"),
    ("8504.22", "Liquid dielectric transformer"),
    ("8532.10", "Power capacitor"),
    ("2903.92", "DDT technical"),
    ("3808.59", "Insecticide preparation"),
    ("3824.99", "Chlorinated paraffins, MCCP"),
    ("2909.30", "Flame retardant, decabromodiphenyl ether"),
]


def _csv(dataset_type: str, rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in schema_for(dataset_type).columns])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def customs_lines(year: int, count: int, seed: int = 7, *, prefix: str = "VR"):
    """``count`` customs declarations of ``year``, about 4% of them on HS codes that point to POPs,
    produced one at a time so that a million of them never sit in memory together."""
    rng = random.Random(seed)
    start = datetime.date(year, 1, 1)
    for n in range(1, count + 1):
        day = start + datetime.timedelta(days=rng.randrange(365))
        flow = "import" if rng.random() < 0.85 else "export"
        if rng.random() < 0.04:
            hs, description = rng.choice(POPS_HS)
        else:
            hs, description = rng.choice(ORDINARY_HS), "General goods"
        national = "2909.30.10" if hs == "2909.30" and rng.random() < 0.5 else ""
        partner = rng.choice(PARTNERS)
        mass = f"{rng.uniform(5, 25000):.1f}"
        yield [
            f"{prefix}-{year}-{n:06d}",
            day.isoformat(),
            flow,
            hs,
            national,
            description,
            partner if flow == "import" else "",
            partner if flow == "export" else "",
            rng.choice(["Veridia Power Ltd", "Island Traders", "AgroVer", "Pacific Imports"]),
            "",
            "",
            mass,
            f"{float(mass) * rng.uniform(1, 6):.2f}",
            "USD",
        ]


def customs_rows(year: int, count: int, seed: int = 7) -> list[list]:
    rows = list(customs_lines(year, count, seed))
    # Two lines the validation sets aside, as happens in real extracts.
    rows.append(
        [
            f"VR-{year}-{count + 1:06d}",
            f"31/02/{year}",
            "import",
            "8471.30",
            "",
            "Laptop",
            "CN",
            "",
            "Island Traders",
            "",
            "",
            "12",
            "",
            "",
        ]
    )
    rows.append(
        [
            f"VR-{year}-{count + 2:06d}",
            f"{year}-06-30",
            "import",
            "8471.30",
            "",
            "Laptop",
            "CN",
            "",
            "Island Traders",
            "",
            "",
            "-3",
            "",
            "",
        ]
    )
    return rows


def monitoring_rows() -> list[list]:
    rng = random.Random(11)
    rows = []
    sites = [
        ("Mount Verde background station", "17.7321", "168.3210"),
        ("Port Veridia harbour", "17.7402", "168.3120"),
    ]
    n = 0
    for year in (2023, 2024, 2025):
        for quarter in range(4):
            for site, lat, lon in sites:
                for analyte, cas in (
                    ("PFOS", "1763-23-1"),
                    ("HCB", "118-74-1"),
                    ("PCB-153", ""),
                    ("Dechlorane Plus syn", "135821-03-3"),
                ):
                    n += 1
                    start = datetime.date(year, quarter * 3 + 1, 6)
                    below = rng.random() < 0.15
                    value = (
                        ""
                        if below
                        else f"{rng.uniform(0.05, 2.5) * (1 - 0.08 * (year - 2023)):.3f}"
                    )
                    rows.append(
                        [
                            f"AIR-{year}-{n:04d}",
                            site,
                            lat,
                            lon,
                            "air",
                            start.isoformat(),
                            (start + datetime.timedelta(days=84)).isoformat(),
                            analyte,
                            cas,
                            value,
                            "pg/m³",
                            "",
                            "<" if below else "no",
                            "0.02",
                            "0.05",
                            "Central Environmental Laboratory",
                            "PUF passive sampler, GC-HRMS",
                        ]
                    )
    for year in (2023, 2025):
        rows.append(
            [
                f"MILK-{year}-01",
                "National pool",
                "",
                "",
                "human_milk",
                f"{year}-03-01",
                "",
                "HCB",
                "118-74-1",
                f"{4.2 - (year - 2023) * 0.6:.2f}",
                "ng/g",
                "lipid",
                "no",
                "0.1",
                "0.3",
                "Public Health Reference Laboratory",
                "GC-HRMS",
            ]
        )
    return rows


def pcb_rows() -> list[list]:
    rng = random.Random(5)
    rows = []
    classes = ["above_500"] * 6 + ["50_500"] * 10 + ["below_50"] * 20 + ["untested"] * 8
    for n, concentration in enumerate(classes, start=1):
        status = rng.choice(["in_use", "in_use", "in_use", "decommissioned", "disposed"])
        year = rng.randrange(1962, 1990)
        decommissioned = (
            f"{rng.randrange(2015, 2025)}-0{rng.randrange(1, 9)}-15" if status != "in_use" else ""
        )
        disposed = f"{int(decommissioned[:4]) + 1}-03-01" if status == "disposed" else ""
        rows.append(
            [
                rng.choice(["Veridia Power Ltd", "Port Veridia Authority", "National Mining Co."]),
                f"Substation {n:02d}",
                rng.choice(["transformer", "transformer", "capacitor"]),
                f"TR-{year}-{n:04d}",
                year,
                f"{rng.uniform(10, 1500):.0f}",
                concentration,
                status,
                decommissioned,
                disposed,
            ]
        )
    return rows


def pesticide_rows() -> list[list]:
    return [
        [
            "Ministry of Agriculture",
            "user",
            "Central store, Port Veridia",
            "Dieldrex 20 EC",
            "Dieldrin",
            "450",
            "l",
            "obsolete",
            "yes",
        ],
        [
            "Ministry of Agriculture",
            "user",
            "North district store",
            "DDT 75 WP",
            "DDT",
            "1200",
            "kg",
            "leaking",
            "yes",
        ],
        [
            "AgroVer",
            "distributor",
            "Warehouse 3, Eastport",
            "Lindacide",
            "Lindane",
            "80",
            "kg",
            "obsolete",
            "no",
        ],
        [
            "Cane Growers Cooperative",
            "user",
            "Sugar estate shed",
            "Endosulfan 35 EC",
            "Endosulfan",
            "300",
            "l",
            "obsolete",
            "no",
        ],
        [
            "AgroVer",
            "distributor",
            "Warehouse 3, Eastport",
            "Chlorpyrifos 48 EC",
            "Chlorpyrifos",
            "2500",
            "l",
            "usable",
            "no",
        ],
    ]


def upops_rows() -> list[list]:
    return [
        ["1c", "1", "420", "t", "2024"],
        ["1c", "3", "180", "t", "2024"],
        ["6b", "1", "15800", "t", "2024"],
        ["6b", "2", "32000", "t", "2024"],
        ["1c", "1", "380", "t", "2025"],
        ["1c", "3", "260", "t", "2025"],
        ["6b", "1", "14100", "t", "2025"],
        ["6b", "2", "30500", "t", "2025"],
    ]


def _accepted(
    *,
    uploader: User,
    reviewer: User,
    institution: Institution,
    dataset_type: str,
    start: datetime.date,
    end: datetime.date,
    name: str,
    rows: list[list] | None = None,
    file=None,
) -> DatasetVersion:
    version = services.dataset_receive(
        actor=uploader,
        institution=institution,
        dataset_type=dataset_type,
        period_start=start,
        period_end=end,
        file=file or SimpleUploadedFile(name, _csv(dataset_type, rows)),
    )
    services.version_process(version.pk)  # no-op when a worker already did it
    version.refresh_from_db()
    if version.status != DatasetVersion.Status.VALIDATED:
        raise RuntimeError(f"Demo dataset {name} did not validate: {version.error}")
    if version.review_status == DatasetVersion.Review.NOT_SUBMITTED:
        version = services.version_review(actor=uploader, version=version, action="submit")
    if version.review_status in (
        DatasetVersion.Review.SUBMITTED,
        DatasetVersion.Review.UNDER_REVIEW,
    ):
        version = services.version_review(
            actor=reviewer,
            version=version,
            action="accept",
            comment="Checked by the Technical Committee: consistent with the previous year.",
        )
    return version


def seed_inventories_demo(
    *, institutions: dict[str, Institution], secretariat: User
) -> list[DatasetVersion]:
    """``institutions`` by acronym. The secretariat uploads on behalf of the institutions whose focal
    points have no account in the demo, and reviews for the technical committee."""
    pcb = Chemical.objects.get(slug="pcb")
    for code, description, hs, slug in (
        ("2909.30.10", "Decabromodiphenyl ether (WCO recommendation, 2023)", "2909.30", "decabde"),
        ("2915.90.10", "PFOA and its salts (WCO recommendation, 2023)", "2915.90", "pfoa"),
        ("3824.82.10", "Askarel transformer fluids", "3824.82", "pcb"),
    ):
        national, _created = NationalProductCode.objects.get_or_create(
            code=code,
            defaults={
                "description": description,
                "hs_code": HSCode.objects.get(code=hs),
                "match": "specific",
            },
        )
        national.chemicals.set([Chemical.objects.get(slug=slug) if slug != "pcb" else pcb])
    customs_focal = User.objects.filter(email="focal.point@ncm.example").first() or secretariat
    versions = [
        _accepted(
            uploader=customs_focal,
            reviewer=secretariat,
            institution=institutions["VCS"],
            dataset_type="customs",
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
            name="vcs-declarations-2025.csv",
            rows=customs_rows(2025, 2400),
        ),
        _accepted(
            uploader=secretariat,
            reviewer=secretariat,
            institution=institutions["CEL"],
            dataset_type="monitoring",
            start=datetime.date(2023, 1, 1),
            end=datetime.date(2025, 12, 31),
            name="cel-air-monitoring-2023-2025.csv",
            rows=monitoring_rows(),
        ),
        _accepted(
            uploader=secretariat,
            reviewer=secretariat,
            institution=institutions["EPA"],
            dataset_type="pcb",
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
            name="epa-pcb-inventory-2025.csv",
            rows=pcb_rows(),
        ),
        _accepted(
            uploader=secretariat,
            reviewer=secretariat,
            institution=institutions["NPPS"],
            dataset_type="pesticides",
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
            name="npps-obsolete-stocks-2025.csv",
            rows=pesticide_rows(),
        ),
        _accepted(
            uploader=secretariat,
            reviewer=secretariat,
            institution=institutions["EPA"],
            dataset_type="upops",
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2025, 12, 31),
            name="epa-upops-activity-2024-2025.csv",
            rows=upops_rows(),
        ),
    ]
    SubmissionSchedule.objects.get_or_create(
        institution=institutions["VCS"],
        dataset_type="customs",
        frequency="quarterly",
        defaults={
            "days_after_period": 30,
            "starts_on": datetime.date(2025, 1, 1),
            "notes": "Quarterly extract of declarations, all HS chapters.",
        },
    )
    SubmissionSchedule.objects.get_or_create(
        institution=institutions["CEL"],
        dataset_type="monitoring",
        frequency="yearly",
        defaults={"days_after_period": 90, "starts_on": datetime.date(2023, 1, 1)},
    )
    return versions


NATIONAL_EXTRACT_YEAR = 2024


def seed_national_customs(
    *, institution: Institution, uploader: User, reviewer: User, rows: int
) -> DatasetVersion | None:
    """A whole year of the customs service's declarations, ``rows`` lines: generated as a CSV file
    on disk, sent through the real pipeline (stored, validated, copied, aggregated into
    ``CustomsTotal``) and accepted. Running again with the same number finds it and does nothing;
    another number makes a new version of the same dataset."""
    if rows <= 0:
        return None
    year = NATIONAL_EXTRACT_YEAR
    name = f"vcs-declarations-{year}-national-{rows}.csv"
    found = (
        DatasetVersion.objects.filter(
            dataset__institution=institution,
            dataset__dataset_type="customs",
            original_name=name,
            review_status=DatasetVersion.Review.ACCEPTED,
        )
        .order_by("-pk")
        .first()
    )
    if found is not None:
        return found
    with tempfile.TemporaryFile(mode="w+b") as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([c.name for c in schema_for("customs").columns])
        writer.writerows(customs_lines(year, rows, seed=year, prefix="VRN"))
        text.flush()
        handle.seek(0)
        return _accepted(
            uploader=uploader,
            reviewer=reviewer,
            institution=institution,
            dataset_type="customs",
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
            name=name,
            file=File(handle, name=name),
        )


def seed_datasets(run) -> None:
    """The demo's part of inventories (a seeder of ncm_portal.demo): accepted datasets of five
    institutions, and two submission schedules."""
    seed_inventories_demo(institutions=run.institutions, secretariat=run.secretariat)


def basel_movement_rows(year: int) -> list[list]:
    """A calendar year of the environment agency's notified shipments of wastes (the story's
    2025, moved by whole years so that each stays in the year the report covers, whatever day
    the demo is built): exports for recovery and disposal abroad, some through a transit State,
    and two imports."""
    shipments = [
        ("Y8", "Waste mineral oils", "24.5", "VR", "", "DE", "R9", (2, 4)),
        ("Y8", "Waste mineral oils", "18.2", "VR", "", "DE", "R9", (5, 12)),
        (
            "A1180",
            "Waste electrical and electronic assemblies",
            "12",
            "VR",
            "FR",
            "BE",
            "R4",
            (4, 10),
        ),
        ("A1160", "Waste lead-acid batteries", "31.75", "VR", "", "NZ", "R4", (6, 3)),
        ("Y10", "Transformers containing PCB", "6.4", "VR", "FR", "DE", "D10", (8, 21)),
        ("Y18", "Residues from industrial waste disposal", "9", "AU", "", "VR", "D5", (9, 14)),
        ("B1010", "Copper scrap", "40", "FJ", "", "VR", "R4", (10, 2)),
    ]
    rows = []
    for n, (code, text, tonnes, export, transit, import_, operation, (month, day)) in enumerate(
        shipments, start=1
    ):
        shipped = datetime.date(year, month, day)
        rows.append(
            [
                f"VR-{shipped.year}-{n:03d}",
                f"VR-{shipped.year}-{n:03d}/01",
                code,
                text,
                tonnes,
                export,
                transit,
                import_,
                operation,
                shipped.isoformat(),
                (shipped + datetime.timedelta(days=12)).isoformat(),
            ]
        )
    return rows


def seed_basel_movements(run) -> DatasetVersion | None:
    """The environment agency's accepted transboundary movements of wastes of the year before
    the story's day: the year the Basel annual report due this year covers."""
    if "EPA" not in run.institutions:
        return None
    calendar = run.calendar
    year = calendar.year(2025) if calendar is not None else 2025
    return _accepted(
        uploader=run.secretariat,
        reviewer=run.secretariat,
        institution=run.institutions["EPA"],
        dataset_type="basel_movements",
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        name=f"epa-waste-movements-{year}.csv",
        rows=basel_movement_rows(year),
    )


def seed_scaled_customs(run) -> None:
    """With ``--scale``, the customs service's national extract for a year, through the real
    pipeline (``--customs-rows`` lines)."""
    if run.scale <= 1:
        return
    secretariat = run.secretariat
    seed_national_customs(
        institution=run.institutions["VCS"],
        uploader=run.user("focal.point@ncm.example", secretariat),
        reviewer=secretariat,
        rows=run.customs_rows,
    )
