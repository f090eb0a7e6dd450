"""One Article 15 national report's full content, assembled once as plain data that every output
(PDF, XLSX, JSON) draws from: the round, version and status, the approvals, each part, section and
question with its effective answer, every override with its reason, every table row, and the
annex of sources (each dataset version used, with its institution, period and SHA-256).

The assembly costs a fixed number of queries however many sections, answers and rows there are:
the report, the sections, their questions, the answers, the section assignments, the events and
the dataset versions named as sources.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import Answer, Question, Report, ReportEvent, Section, SectionAssignment

SCHEMA = "ncm-portal/article15-report/1"
# Actions in the report's audit trail that record someone approving or accepting something.
APPROVAL_WORDS = ("approve", "accept")


@dataclass
class Document:
    """Plain data: dicts, lists, strings, numbers, booleans, dates. Nothing here queries."""

    report: dict
    parts: list[dict]
    sources: list[dict]
    approvals: list[dict]
    history: list[dict]
    generated_at: datetime.datetime
    counts: dict = field(default_factory=dict)

    @property
    def sections(self) -> list[dict]:
        return [section for part in self.parts for section in part["sections"]]

    @property
    def questions(self) -> list[dict]:
        return [q for section in self.sections for q in section["questions"]]

    @property
    def tables(self) -> list[dict]:
        return [q for q in self.questions if q["kind"] == Question.Kind.TABLE]


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _number(value):
    """A number from JSON (int, float, or a numeric string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() and "." not in text else number
    return None


def table_columns(question: Question, rows: list[dict]) -> list[dict]:
    """The question's declared columns, then any further key the rows carry (so that nothing a
    prefill computed is lost from the spreadsheet and the JSON)."""
    columns = [
        {
            "key": c.get("key", ""),
            "label": c.get("label") or c.get("key", ""),
            "type": c.get("type", "text"),
            "declared": True,
        }
        for c in (question.columns or [])
        if isinstance(c, dict) and c.get("key")
    ]
    known = {c["key"] for c in columns}
    shapes = {tuple(row) for row in rows}  # rows of one table mostly share their keys
    for shape in sorted(shapes, key=len):
        for key in shape:
            if key not in known:
                known.add(key)
                columns.append({"key": key, "label": key, "type": "", "declared": False})
    return columns


def _table(value) -> tuple[list[dict], str]:
    if isinstance(value, dict):
        rows = value.get("rows") or []
        return [r for r in rows if isinstance(r, dict)], str(value.get("note") or "")
    if isinstance(value, list):
        return [r for r in value if isinstance(r, dict)], ""
    return [], ""


def _type_numbers(rows: list[dict], columns: list[dict]) -> None:
    """Numbers as numbers in the columns that hold numbers (a value typed as text, "1,234.5",
    becomes 1234.5), in place, once, so that the XLSX and the JSON agree on every cell."""
    keys = [c["key"] for c in columns if c["type"] == "number"]
    plain = (int, float)
    for row in rows:
        for key in keys:
            value = row.get(key)
            if value is not None and type(value) not in plain:
                number = _number(value)
                if number is not None:
                    row[key] = number


def _question(question: Question, answer: Answer | None) -> dict:
    value = answer.value if answer else None
    prefilled = answer.prefilled if answer else None
    effective = value if value is not None else prefilled
    item = {
        "id": question.pk,
        "code": question.code,
        "text": question.text,
        "help": question.help,
        "kind": question.kind,
        "kind_label": str(question.get_kind_display()),
        "choices": list(question.choices or []),
        "prefill": question.prefill,
        "answered": effective not in (None, "", [], {}),
        "answer": effective,
        "value": value,
        "prefilled": prefilled,
        "is_prefilled": value is None and prefilled is not None,
        "overridden": bool(answer and answer.overridden),
        "override_reason": answer.override_reason if answer else "",
        "answered_by": _name(answer.answered_by) if answer else "",
        "answered_at": answer.answered_at if answer else None,
        "prefilled_at": answer.prefilled_at if answer else None,
        "sources": [s for s in (answer.sources if answer else []) or [] if isinstance(s, dict)],
    }
    if question.kind == Question.Kind.TABLE:
        rows, note = _table(effective)
        columns = table_columns(question, rows)
        _type_numbers(rows, columns)
        item["columns"] = columns
        item["rows"] = rows  # a missing key is an empty cell
        item["note"] = note
        item["answered"] = bool(rows or note)
        prefilled_rows, _note = _table(prefilled)
        item["prefilled_rows"] = len(prefilled_rows)
    return item


def _source_key(source: dict):
    return source.get("dataset_version") or source.get("sha256")


def _sources(questions: list[dict]) -> list[dict]:
    """Every dataset version named by an answer, once, with the questions that used it. The
    versions are read in one query; a version no longer found keeps what the answer recorded."""
    from inventories.models import DatasetVersion

    used: dict = {}
    for question in questions:
        for source in question["sources"]:
            key = _source_key(source)
            if key is None:
                continue
            entry = used.setdefault(key, {"recorded": source, "questions": []})
            if question["code"] not in entry["questions"]:
                entry["questions"].append(question["code"])
    ids = [k for k in used if isinstance(k, int)]
    versions = (
        {
            v.pk: v
            for v in DatasetVersion.objects.filter(pk__in=ids).select_related(
                "dataset__institution"
            )
        }
        if ids
        else {}
    )
    result = []
    for key, entry in used.items():
        recorded = entry["recorded"]
        version = versions.get(key)
        if version is not None:
            dataset = version.dataset
            row = {
                "dataset_version": version.pk,
                "dataset": recorded.get("dataset") or str(dataset.get_dataset_type_display()),
                "dataset_type": dataset.dataset_type,
                "version": version.number,
                "institution": dataset.institution.name,
                "period_start": dataset.period_start,
                "period_end": dataset.period_end,
                "file": version.original_name,
                "sha256": version.sha256,
                "rows": version.rows_accepted,
                "uploaded_at": version.uploaded_at,
                "recorded_sha256": recorded.get("sha256", ""),
            }
        else:
            row = {
                "dataset_version": recorded.get("dataset_version"),
                "dataset": recorded.get("dataset", ""),
                "dataset_type": "",
                "version": None,
                "institution": recorded.get("institution", ""),
                "period_start": None,
                "period_end": None,
                "file": "",
                "sha256": recorded.get("sha256", ""),
                "rows": recorded.get("rows"),
                "uploaded_at": None,
                "recorded_sha256": recorded.get("sha256", ""),
            }
        row["questions"] = entry["questions"]
        result.append(row)
    result.sort(
        key=lambda r: (
            r["institution"],
            r["dataset"],
            str(r["period_start"] or ""),
            r["version"] or 0,
        )
    )
    for number, row in enumerate(result, start=1):
        row["number"] = number
    return result


def _report_header(report: Report) -> dict:
    rnd = report.round
    return {
        "id": report.pk,
        "round": {
            "convention": rnd.convention,
            "convention_name": str(rnd.kind.convention_name),
            "report_name": rnd.report_name,
            "number": rnd.number,
            "label": rnd.label,
            "period_start": rnd.period_start,
            "period_end": rnd.period_end,
            "deadline": rnd.deadline,
            "extended_deadline": rnd.extended_deadline,
            "due": rnd.extended_deadline or rnd.deadline,
            "decision": rnd.decision,
            "considered_at": rnd.considered_at,
            "source": rnd.source,
        },
        "version": report.version,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "locked": report.status != Report.Status.DRAFT,
        "corrects_version": report.corrects.version if report.corrects_id else None,
        "correction_reason": report.correction_reason,
        "created_at": report.created_at,
        "created_by": _name(report.created_by),
        "approved_at": report.approved_at,
        "approved_by": _name(report.approved_by),
        "submitted_on": report.submitted_on,
        "submission_reference": report.submission_reference,
    }


def report_document(report: Report | int) -> Document:
    """Assemble the report's content. Seven queries (six when no answer names a source)."""
    pk = report if isinstance(report, int) else report.pk
    report = Report.objects.select_related("round", "corrects", "created_by", "approved_by").get(
        pk=pk
    )
    sections = list(Section.objects.filter(round_id=report.round_id).order_by("order", "pk"))
    questions_by_section: dict[int, list[Question]] = {}
    for question in Question.objects.filter(section__round_id=report.round_id).order_by(
        "section__order", "order", "pk"
    ):
        questions_by_section.setdefault(question.section_id, []).append(question)
    answers = {
        a.question_id: a for a in Answer.objects.filter(report=report).select_related("answered_by")
    }
    assignments = {
        a.section_id: a
        for a in SectionAssignment.objects.filter(report=report).select_related("institution")
    }
    events = list(
        ReportEvent.objects.filter(report=report)
        .select_related("actor", "assignment")
        .order_by("at", "pk")
    )

    parts: list[dict] = []
    for section in sections:
        assignment = assignments.get(section.pk)
        questions = [
            _question(q, answers.get(q.pk)) for q in questions_by_section.get(section.pk, [])
        ]
        item = {
            "id": section.pk,
            "part": section.part,
            "code": section.code,
            "title": section.title,
            "intro": section.intro,
            "institution": assignment.institution.name
            if assignment and assignment.institution_id
            else "",
            "status": assignment.status if assignment else "",
            "status_label": str(assignment.get_status_display()) if assignment else "",
            "accepted_at": assignment.accepted_at if assignment else None,
            "questions": questions,
            "answered": sum(1 for q in questions if q["answered"]),
            "overridden": sum(1 for q in questions if q["overridden"]),
        }
        if not parts or parts[-1]["code"] != section.part:
            parts.append(
                {
                    "code": section.part,
                    "title": _("Part %(part)s") % {"part": section.part},
                    "sections": [],
                }
            )
        parts[-1]["sections"].append(item)

    all_questions = [q for part in parts for s in part["sections"] for q in s["questions"]]
    sources = _sources(all_questions)
    numbers = {row["dataset_version"] or row["sha256"]: row["number"] for row in sources}
    for question in all_questions:
        question["source_numbers"] = sorted(
            {numbers[k] for s in question["sources"] if (k := _source_key(s)) in numbers}
        )

    section_codes = {s.pk: s.code for s in sections}
    history = [
        {
            "at": e.at,
            "actor": _name(e.actor),
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "note": e.note,
            "section": section_codes.get(e.assignment.section_id, "") if e.assignment_id else "",
        }
        for e in events
    ]
    approvals = [h for h in history if any(word in h["action"] for word in APPROVAL_WORDS)]
    if report.approved_at and not any("approve" in a["action"] for a in approvals):
        approvals.append(
            {
                "at": report.approved_at,
                "actor": _name(report.approved_by),
                "action": "approved",
                "from_state": Report.Status.DRAFT,
                "to_state": Report.Status.APPROVED,
                "note": "",
                "section": "",
            }
        )

    tables = [q for q in all_questions if q["kind"] == Question.Kind.TABLE]
    return Document(
        report=_report_header(report),
        parts=parts,
        sources=sources,
        approvals=approvals,
        history=history,
        generated_at=timezone.now(),
        counts={
            "sections": len(sections),
            "questions": len(all_questions),
            "answered": sum(1 for q in all_questions if q["answered"]),
            "overridden": sum(1 for q in all_questions if q["overridden"]),
            "tables": len(tables),
            "table_rows": sum(len(q["rows"]) for q in tables),
            "sources": len(sources),
        },
    )
