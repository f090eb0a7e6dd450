"""Reference data of Article 15 reports: the reporting rounds and the structure of the report
format, read from ``reference/article15_round6.json`` (its sources are in
``reference/README.md``)."""

import datetime
import json
from functools import cache
from pathlib import Path

from django.apps import apps as global_apps

DATA_FILE = Path(__file__).resolve().parent / "reference" / "article15_round6.json"


@cache
def reference_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def ensure_reference_data(apps=None, **kwargs) -> None:
    """Create the missing rounds, sections and questions; rows that exist stay as they are, so
    that what administrators edited is kept. Safe to run any number of times."""
    apps = apps or global_apps
    Round = apps.get_model("reporting", "Round")
    Section = apps.get_model("reporting", "Section")
    Question = apps.get_model("reporting", "Question")
    data = reference_data()
    rounds = {}
    for row in data["rounds"]:
        rounds[row["number"]], _created = Round.objects.get_or_create(
            number=row["number"],
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
    for number in structure["rounds"]:
        round_ = rounds[number]
        if Section.objects.filter(round=round_).exists():
            continue  # the structure is the administrators' once loaded
        for srow in structure["sections"]:
            section = Section.objects.create(
                round=round_, part=srow["part"], code=srow["code"], title=srow["title"],
                intro=srow.get("intro", ""), order=srow["order"],
            )  # fmt: skip
            Question.objects.bulk_create(
                Question(
                    section=section,
                    code=qrow["code"],
                    text=qrow["text"],
                    help=qrow.get("help", ""),
                    kind=qrow["kind"],
                    choices=qrow.get("choices", []),
                    columns=qrow.get("columns", []),
                    prefill=qrow.get("prefill", ""),
                    order=qrow["order"],
                )  # fmt: skip
                for qrow in srow["questions"]
            )
