"""Reference data of the conventions' national reports: the reporting rounds and the structure
of each report format, one file per convention in ``reference/`` (``article15_round6.json`` for
the Stockholm Convention, ``minamata_format_mc1_8.json`` for the Minamata Convention,
``basel_annual_report.json`` for the Basel Convention; their sources are in
``reference/README.md``).

A file holds ``rounds`` (each with its dates) and ``structure`` (the sections and questions,
loaded for the rounds it names; for the rounds in ``short_rounds``, only the questions marked
``asterisk``, as in the Minamata short reports). A round may instead name an instance of the
obligations register (``obligation`` and ``instance``, by label), or a ``year`` of an annual
obligation: its dates are then read from ``obligations.json`` rather than copied. A file may
also name an annual obligation under ``annual`` (``obligation``, ``from_year``, ``label``): a
round is then generated for every calendar year from ``from_year`` to the last one the
obligations planner covers on the day it runs (``register.plan_window``), numbered by the year,
dated by the register's rule; ``"rounds": "all"`` in its structure gives each its structure."""

import datetime
import json
from functools import cache
from pathlib import Path

from django.apps import apps as global_apps

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DATA_FILE = REFERENCE_DIR / "article15_round6.json"


@cache
def reference_data(name: str = DATA_FILE.name) -> dict:
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


def reference_files() -> dict[str, str]:
    """The structure file of each convention's national report."""
    from reporting.conventions import KINDS

    return {code: kind.reference_file for code, kind in KINDS.items()}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _register_round(row: dict) -> dict:
    """A round named after an instance of the obligations register, with its dates."""
    register = reference_data("obligations.json")
    entry = next(o for o in register["obligations"] if o["code"] == row["obligation"])
    if "year" in row:  # an annual obligation: the year reported on, due the year after
        return _annual_round(entry, row)
    instance = next(i for i in entry["instances"] if i["label"] == row["instance"])
    source = instance.get("source", "")
    if not instance.get("confirmed", True) and "unconfirmed" not in source.lower():
        source = f"{source} [unconfirmed]"
    return {
        "label": row.get("label", instance["label"]),
        "period_start": instance["period_start"],
        "period_end": instance["period_end"],
        "deadline": instance["due"],
        "extended_deadline": None,
        "decision": row.get("decision", ""),
        "considered_at": row.get("considered_at", ""),
        "source": source,
    }


def _annual_round(entry: dict, row: dict) -> dict:
    """The round of one calendar year of an annual obligation (the Basel annual report): the
    period and the due date follow the register's rule, none is copied."""
    from reporting.obligations import register

    year = row["year"]
    start, end, due = register.get(entry["code"]).annual_period(year)
    source = (
        f"{entry['article']}, obligations register ({entry['code']}, obligations.json); "
        "sources in reporting/reference/README.md"
    )
    if not entry.get("confirmed", True):
        source = f"{source} [unconfirmed]"
    return {
        "label": row.get("label", f"{entry['title']} {year}"),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "deadline": due.isoformat(),
        "extended_deadline": None,
        "decision": row.get("decision", ""),
        "considered_at": row.get("considered_at", ""),
        "source": source,
    }


def annual_years(annual: dict, on: datetime.date) -> list[int]:
    """The calendar years an ``annual`` entry of a reference file generates rounds for on
    ``on``: from its ``from_year`` to the last year the obligations planner covers."""
    from reporting.obligations import register

    obligation = register.get(annual["obligation"])
    covered = obligation.annual_years(*register.plan_window(on))
    return list(range(annual["from_year"], max([annual["from_year"] - 1, *covered]) + 1))


def round_rows(data: dict, on: datetime.date | None = None) -> list[dict]:
    """The rounds of a reference file, those generated from an annual obligation included
    (as on ``on``, today by default)."""
    rows = []
    for row in data["rounds"]:
        if "obligation" in row:
            rows.append({"number": row["number"], **_register_round(row)})
        else:
            rows.append(row)
    annual = data.get("annual")
    if annual:
        from django.utils import timezone

        listed = {row["number"] for row in rows}
        for year in annual_years(annual, on or timezone.localdate()):
            if year in listed:
                continue
            row = {"obligation": annual["obligation"], "year": year}
            row["label"] = annual["label"].format(year=year)
            rows.append({"number": year, **_register_round(row)})
    return rows


def ensure_reference_data(apps=None, on: datetime.date | None = None, **kwargs) -> None:
    """Create the missing rounds, sections and questions of every convention's report; rows
    that exist stay as they are, so that what administrators edited is kept. Safe to run any
    number of times."""
    apps = apps or global_apps
    Round = apps.get_model("reporting", "Round")
    per_convention = any(f.name == "convention" for f in Round._meta.get_fields())
    files = reference_files() if per_convention else {"stockholm": DATA_FILE.name}
    for convention, name in files.items():
        if not (REFERENCE_DIR / name).exists():
            continue
        scope = {"convention": convention} if per_convention else {}
        _load(apps, reference_data(name), scope, on)


def ensure_annual_rounds(*, on: datetime.date) -> None:
    """The rounds generated from an annual obligation (the Basel annual reports) for every
    year the planner covers on ``on``, with their structure: the obligations planner calls
    this before it plans, so that each planned instance has its round."""
    for convention, name in reference_files().items():
        if (REFERENCE_DIR / name).exists() and reference_data(name).get("annual"):
            _load(global_apps, reference_data(name), {"convention": convention}, on)


def _load(apps, data: dict, scope: dict, on: datetime.date | None = None) -> None:
    Round = apps.get_model("reporting", "Round")
    Section = apps.get_model("reporting", "Section")
    Question = apps.get_model("reporting", "Question")
    rounds = {}
    for row in round_rows(data, on):
        rounds[row["number"]], _created = Round.objects.get_or_create(
            number=row["number"],
            **scope,
            defaults={
                "label": row["label"],
                "period_start": _date(row["period_start"]),
                "period_end": _date(row["period_end"]),
                "deadline": _date(row["deadline"]),
                "extended_deadline": _date(row.get("extended_deadline")),
                "decision": row.get("decision", ""),
                "considered_at": row.get("considered_at", ""),
                "source": row.get("source", ""),
            },
        )
    structure = data["structure"]
    short = set(structure.get("short_rounds", []))
    full = list(rounds) if structure["rounds"] == "all" else structure["rounds"]
    for number in [*full, *structure.get("short_rounds", [])]:
        round_ = rounds[number]
        if Section.objects.filter(round=round_).exists():
            continue  # the structure is the administrators' once loaded
        for srow in structure["sections"]:
            questions = [q for q in srow["questions"] if number not in short or q.get("asterisk")]
            if not questions:
                continue
            section = Section.objects.create(
                round=round_,
                part=srow["part"],
                code=srow["code"],
                title=srow["title"],
                intro=srow.get("intro", ""),
                order=srow["order"],
            )
            Question.objects.bulk_create(
                Question(
                    section=section,
                    code=qrow["code"],
                    text=qrow["text"],
                    help=_help(qrow),
                    kind=qrow["kind"],
                    choices=qrow.get("choices", []),
                    columns=qrow.get("columns", []),
                    prefill=qrow.get("prefill", ""),
                    order=qrow["order"],
                )
                for qrow in questions
            )


UNCONFIRMED = "[Wording and numbering not confirmed against the adopted format.]"


def _help(qrow: dict) -> str:
    """A question whose wording or numbering could not be confirmed says so in its help, with
    the article it is paraphrased from."""
    parts = [qrow.get("help", "")]
    if qrow.get("basis"):
        parts.append(f"({qrow['basis']})")
    if not qrow.get("confirmed", True):
        parts.append(UNCONFIRMED)
    return " ".join(p for p in parts if p)
