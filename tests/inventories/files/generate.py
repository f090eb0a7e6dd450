"""Writes the dataset files the inventories tests read: small files of the shapes focal points
really send. Run it to write them again (they land beside it, wherever it is run from):
python generate.py"""

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

CUSTOMS = [
    "declaration_id",
    "declared_on",
    "flow",
    "hs_code",
    "national_code",
    "description",
    "origin_country",
    "consignment_country",
    "trader",
    "quantity",
    "quantity_unit",
    "net_mass_kg",
    "value",
    "currency",
]
MONITORING = [
    "sample_id",
    "site",
    "latitude",
    "longitude",
    "matrix",
    "sampling_start",
    "sampling_end",
    "analyte",
    "cas",
    "value",
    "unit",
    "basis",
    "below_limit",
    "lod",
    "loq",
    "laboratory",
    "method",
]


def customs(n, **changes):
    row = {
        "declaration_id": f"VR-2025-{n:06d}",
        "declared_on": "2025-03-14",
        "flow": "import",
        "hs_code": "3824.82",
        "national_code": "",
        "description": "Transformer oil",
        "origin_country": "DE",
        "consignment_country": "NL",
        "trader": "Veridia Power Ltd",
        "quantity": "10",
        "quantity_unit": "l",
        "net_mass_kg": "100.5",
        "value": "1000",
        "currency": "EUR",
    }
    row.update(changes)
    return [row[h] for h in CUSTOMS]


def monitoring(n, value, *, lod="0.02", loq="0.05", flag=""):
    return [
        f"W-{n:03d}",
        "Lake Verde",
        "",
        "",
        "surface_water",
        f"2025-03-{n % 28 + 1:02d}",
        "",
        "PFOS",
        "1763-23-1",
        value,
        "ng/L",
        "",
        flag,
        lod,
        loq,
        "National Environment Laboratory",
        "LC-MS/MS",
    ]


def write(name, header, rows, *, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(HERE / name, "wb") as handle:
        handle.write(buffer.getvalue().encode(encoding))


# Results below the limit, as laboratories write them, in several languages.
CENSORED = [
    "0.42",
    "<LOQ",
    "< 0.05",
    "<0,05",
    "ND",
    "n.d.",
    "nd",
    "not detected",
    "BDL",
    "< LOD",
    "-",
    "no detectado",
    "не обнаружено",
    "non détecté",
    "1.3",
    "<",
    "",
]
rows = [monitoring(i + 1, v) for i, v in enumerate(CENSORED)]
rows[-1][12] = "<"  # the flag column and an empty result: below the row's LOQ
rows.append(monitoring(len(rows) + 1, "0.07", flag="yes"))  # the flag and a number: below it
rows.append(monitoring(len(rows) + 1, "<LOQ", loq=""))  # <LOQ, but no LOQ: rejected
rows.append(monitoring(len(rows) + 1, "traces"))  # neither a number nor a censored value
write("monitoring_censored.csv", MONITORING, rows)

# A laboratory's export: its own headers, LOD and LOQ columns and no flag column.
write(
    "monitoring_lab_export.csv",
    [
        "Sample",
        "Station",
        "Matrix",
        "Sample date",
        "Parameter",
        "CAS No",
        "Result",
        "Unit",
        "LOD",
        "LOQ",
        "Lab",
    ],
    [
        [
            "S1",
            "Port Veridia",
            "human_milk",
            "2025-02-10",
            "HCB",
            "118-74-1",
            "0.8",
            "ng/g",
            "0.1",
            "0.3",
            "NEL",
        ],
        [
            "S2",
            "Port Veridia",
            "human_milk",
            "2025-02-11",
            "HCB",
            "118-74-1",
            "<LOQ",
            "ng/g",
            "0.1",
            "0.3",
            "NEL",
        ],
        [
            "S3",
            "Port Veridia",
            "human_milk",
            "2025-02-12",
            "HCB",
            "118-74-1",
            "<0.1",
            "ng/g",
            "0.1",
            "0.3",
            "NEL",
        ],
        [
            "S4",
            "Port Veridia",
            "human_milk",
            "2025-02-13",
            "HCB",
            "118-74-1",
            "ND",
            "ng/g",
            "0.1",
            "0.3",
            "NEL",
        ],
    ],
)

# A semicolon export with decimal commas.
write(
    "customs_decimal_comma.csv",
    CUSTOMS,
    [
        customs(n, net_mass_kg=f"{1384 + n},439", quantity=f"{n},5", value=f"{n * 100},25")
        for n in range(1, 9)
    ],
    delimiter=";",
)

# Dates written day first.
write(
    "customs_day_first.csv",
    CUSTOMS,
    [customs(n, declared_on=f"{13 + n}/03/2025") for n in range(1, 9)],
)

# Legacy encodings: Cyrillic in Windows-1251 and KOI8-R, Arabic in Windows-1256, French in
# Windows-1252.
RUSSIAN = [
    customs(
        1,
        description="Масло трансформаторное, содержащее ПХБ",
        trader="ООО Энергосеть",
        origin_country="RU",
    ),
    customs(
        2,
        description="Конденсаторы силовые, выведенные из эксплуатации",
        trader="АО Электросбыт",
        origin_country="KZ",
    ),
    customs(
        3,
        description="Хлорированные парафины для кабельной промышленности",
        trader="Химпром",
        origin_country="BY",
    ),
]
ARABIC = [
    customs(
        1,
        description="زيت المحولات الكهربائية المستعمل",
        trader="شركة الكهرباء الوطنية",
        origin_country="EG",
    ),
    customs(2, description="مكثفات كهربائية مستعملة", trader="مؤسسة الطاقة", origin_country="JO"),
    customs(
        3, description="مبيدات حشرية منتهية الصلاحية", trader="وزارة الزراعة", origin_country="MA"
    ),
]
FRENCH = [
    customs(
        1,
        description="Huile de transformateur usagée",
        trader="Société Énergie Côtière",
        origin_country="FR",
    ),
    customs(
        2,
        description="Condensateurs déclassés, à éliminer",
        trader="Électricité de Véridia",
        origin_country="BE",
    ),
]
write("customs_cp1251.csv", CUSTOMS, RUSSIAN, encoding="cp1251")
write("customs_koi8r.csv", CUSTOMS, RUSSIAN, encoding="koi8_r")
write("customs_cp1256.csv", CUSTOMS, ARABIC, encoding="cp1256")
write("customs_cp1252.csv", CUSTOMS, FRENCH, encoding="cp1252")

# No row can be accepted: the net mass is missing from every one.
write("customs_all_rejected.csv", CUSTOMS, [customs(n, net_mass_kg="unknown") for n in range(1, 6)])

# A row that repeats a declaration, and a row cut short.
write(
    "customs_duplicates_short.csv",
    CUSTOMS,
    [customs(1), customs(2), customs(1), customs(4), customs(5)[:6]],
)

# Cells the rejected-rows file must carry whole: 250 characters, a line break, leading = and -.
LONG = (
    "Transformer oil drained from unit 4 of the northern substation, PCB content to be "
    "confirmed by the laboratory; drums labelled and stored in the bunded area pending export "
    "for destruction under the Basel notification procedure, reference VR-2025-BN-17, lot 4."
)[:250]
assert len(LONG) == 250
write(
    "customs_cells_to_keep.csv",
    CUSTOMS,
    [
        customs(1, description=LONG, net_mass_kg="-1"),
        customs(2, description="first line\nsecond line", net_mass_kg="-2"),
        customs(3, description="=SUM(A1:A2)", trader="-Veridia Trading", net_mass_kg="-3"),
        customs(4),
    ],
)

# No line break at all: one long line of fields (refused before it is read).
with open(HERE / "customs_no_line_break.csv", "wb") as handle:
    handle.write(b",".join(f"VR-{n:06d}".encode() for n in range(8000)))
