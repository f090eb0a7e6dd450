"""The three outputs of an Article 15 national report, each drawn from one assembled
:class:`reporting.document.Document`: the PDF (through the portal's one renderer), the XLSX
annex (every row of every table, numbers as numbers, nothing a spreadsheet would run as a
formula) and the JSON (every answer and table with the round, version, status and sources)."""

import datetime
import json
import re
import zlib
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ncm_portal import exports
from reporting.document import SCHEMA, Document

PDF_TEMPLATE = "reporting/article15/report_pdf.html"
# A table longer than this shows its first rows in the PDF; every row is in the XLSX annex.
PDF_ROW_LIMIT = 40
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE, "json": "application/json"}


# --- Display (the PDF) ------------------------------------------------------------------------


def _yes_no(value) -> str | None:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and value.lower() in ("yes", "no", "true", "false"):
        return _("Yes") if value.lower() in ("yes", "true") else _("No")
    return None


def _code_labels() -> dict:
    """Words for the codes that table rows carry (the XLSX and the JSON keep the codes)."""
    return {
        "flow": {"production": _("Production"), "import": _("Import"), "export": _("Export")},
        "match": {
            "specific": _("Specific"),
            "group": _("Group of chemicals"),
            "indicative": _("Indicative"),
        },
    }


def _cell_display(row: dict, column: dict, labels: dict) -> str:
    key = column["key"]
    value = row.get(key)
    if key in labels and isinstance(value, str):
        return str(labels[key].get(value, value))
    return display(value, column["type"], grouping=_grouped(key))


def _grouped(key: str) -> bool:
    """Whether a column's numbers take thousands separators (years do not)."""
    return not (key == "year" or key.endswith("_year"))


def display(value, kind: str = "", *, grouping: bool = True) -> str:
    """One answer or cell as the PDF shows it, in the active language and formats."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, dict) and "value" in value:
        return display(value["value"], kind, grouping=grouping)
    if kind in ("yes_no", "bool") or isinstance(value, bool):
        words = _yes_no(value)
        if words is not None:
            return words
    if isinstance(value, (int, float, Decimal)):
        return formats.number_format(value, use_l10n=True, force_grouping=grouping)
    if isinstance(value, str) and (kind == "date" or ISO_DAY.fullmatch(value)):
        try:
            day = parse_date(value[:10])
        except ValueError:
            day = None
        if day is not None:
            return formats.date_format(
                day, "DATE_FORMAT" if kind == "date" else "SHORT_DATE_FORMAT"
            )
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(display(v, kind) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {display(v)}" for k, v in value.items())
    return str(value)


def approval_label(approval: dict) -> str:
    if approval["section"]:
        return _("Section %(code)s accepted") % {"code": approval["section"]}
    return _("Approved")


def _with_widths(columns: list[dict], rows: list[list[tuple]]) -> list[dict]:
    """Columns with a width in percent, from the longest cell shown and the longest word of the
    label, so that the PDF lays tables out at a fixed width (an automatic layout measures every
    cell again on every page)."""
    weights = []
    for index, column in enumerate(columns):
        longest = max((len(row[index][0]) for row in rows), default=0)
        word = max((len(w) for w in str(column["label"]).split()), default=0)
        weights.append(max(min(longest, 28), min(word, 14), 4) + 2)
    total = sum(weights) or 1
    return [
        {**c, "width": round(100 * w / total, 1)} for c, w in zip(columns, weights, strict=True)
    ]


def pdf_context(document: Document, *, row_limit: int = PDF_ROW_LIMIT) -> dict:
    """What the PDF template needs: the document, with each answer and the first rows of each
    table already formatted, and how many rows were left to the XLSX annex."""
    labels = _code_labels()
    parts = []
    for part in document.parts:
        sections = []
        for section in part["sections"]:
            questions = []
            for q in section["questions"]:
                item = {**q, "display": "", "prefilled_display": ""}
                if q["kind"] == "table":
                    columns = [c for c in q["columns"] if c["declared"]] or q["columns"]
                    shown = q["rows"][:row_limit]
                    item["pdf_rows"] = [
                        [(_cell_display(row, c, labels), c["type"] == "number") for c in columns]
                        for row in shown
                    ]
                    item["pdf_columns"] = _with_widths(columns, item["pdf_rows"])
                    item["more_rows"] = max(0, len(q["rows"]) - len(shown))
                    count = q["prefilled_rows"]
                    item["prefilled_display"] = (
                        ngettext("%(count)s row", "%(count)s rows", count) % {"count": count}
                        if q["overridden"]
                        else ""
                    )
                else:
                    item["display"] = display(q["answer"], q["kind"])
                    item["prefilled_display"] = display(q["prefilled"], q["kind"])
                questions.append(item)
            sections.append({**section, "questions": questions})
        parts.append({**part, "sections": sections})
    return {
        "report": document.report,
        "parts": parts,
        "sources": document.sources,
        "approvals": [{**a, "label": approval_label(a)} for a in document.approvals],
        "counts": document.counts,
        "generated_at": timezone.localtime(document.generated_at),
        "row_limit": row_limit,
    }


def render_pdf(document: Document) -> tuple[bytes, int]:
    """The PDF through the portal's one renderer, and its number of pages."""
    from ncm_portal import pdf

    data = pdf.render_pdf(PDF_TEMPLATE, pdf_context(document))
    return data, pdf_page_count(data)


_PAGES_DICT = re.compile(rb"<<(?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*?>>", re.S)
_COUNT = re.compile(rb"/Count\s+(\d+)")
_STREAM = re.compile(rb"/FlateDecode[^>]*>>\s*stream\r?\n")


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF written by WeasyPrint: the /Count of its page tree's root, which may sit in
    a compressed object stream."""
    chunks = [data]
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    counts = [
        int(count.group(1))
        for chunk in chunks
        for pages in _PAGES_DICT.finditer(chunk)
        if (count := _COUNT.search(pages.group(0)))
    ]
    return max(counts, default=0)


# --- XLSX ------------------------------------------------------------------------------------


def _cell(value):
    """A cell value through the portal's one export rule (numbers, booleans and dates as
    themselves, text neutralised); an answer given as {"value": ...} is its value."""
    if isinstance(value, dict) and "value" in value:
        return _cell(value["value"])
    return exports.cell(value)


def _sheet_title(code: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", code)[:28] or "Table"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:25]}~{n}"
        n += 1
    used.add(title.lower())
    return title


def render_xlsx(document: Document) -> bytes:
    """One sheet of all answers, one sheet per table question with every row, a sources sheet
    and a sheet about the report; written in write-only mode (streamed, not held as cells)."""
    workbook = exports.xlsx_workbook()
    header = exports.xlsx_header

    report = document.report
    used: set[str] = set()

    about = workbook.create_sheet(_sheet_title(_("Report"), used))
    header(about, [_("Field"), _("Value")])
    rnd = report["round"]
    for label, value in (
        (_("Round"), f"{rnd['number']}. {rnd['label']}"),
        (_("Period from"), rnd["period_start"]),
        (_("Period to"), rnd["period_end"]),
        (_("Due"), rnd["due"]),
        (_("Decision"), rnd["decision"]),
        (_("Version"), report["version"]),
        (_("Status"), report["status_label"]),
        (_("Corrects version"), report["corrects_version"]),
        (_("Reason for the correction"), report["correction_reason"]),
        (_("Approved"), report["approved_at"]),
        (_("Approved by"), report["approved_by"]),
        (_("Submitted on"), report["submitted_on"]),
        (_("Submission reference"), report["submission_reference"]),
        (_("Generated"), document.generated_at),
    ):
        about.append([_cell(str(label)), _cell(value)])

    answers = workbook.create_sheet(_sheet_title(_("Answers"), used))
    header(
        answers,
        [
            _("Part"),
            _("Section"),
            _("Section title"),
            _("Question code"),
            _("Question"),
            _("Kind"),
            _("Answer"),
            _("Prefilled"),
            _("Overridden"),
            _("Reason for the override"),
            _("Sources"),
            _("Answered by"),
            _("Answered"),
        ],
    )
    table_sheets = []
    for section in document.sections:
        for q in section["questions"]:
            if q["kind"] == "table":
                title = _sheet_title(q["code"], used)
                count = len(q["rows"])
                answer = ngettext(
                    "%(count)s row, sheet %(sheet)s", "%(count)s rows, sheet %(sheet)s", count
                ) % {"count": count, "sheet": title}
                table_sheets.append((title, section, q))
                prefilled = q["prefilled_rows"] if q["prefilled"] is not None else None
            else:
                answer, prefilled = q["answer"], q["prefilled"]
            answers.append(
                [
                    _cell(section["part"]),
                    _cell(section["code"]),
                    _cell(section["title"]),
                    _cell(q["code"]),
                    _cell(q["text"]),
                    _cell(q["kind_label"]),
                    _cell(answer),
                    _cell(prefilled),
                    _cell(q["overridden"]),
                    _cell(q["override_reason"]),
                    _cell(", ".join(str(n) for n in q["source_numbers"])),
                    _cell(q["answered_by"]),
                    _cell(q["answered_at"]),
                ]
            )

    for title, _section, q in table_sheets:
        sheet = workbook.create_sheet(title)
        keys = [c["key"] for c in q["columns"]]
        header(sheet, [c["label"] for c in q["columns"]])
        for row in q["rows"]:
            sheet.append([_cell(row.get(key)) for key in keys])

    sources = workbook.create_sheet(_sheet_title(_("Sources"), used))
    header(
        sources,
        [
            _("No."),
            _("Dataset"),
            _("Version"),
            _("Institution"),
            _("Period from"),
            _("Period to"),
            _("File"),
            _("Rows"),
            _("SHA-256"),
            _("Used by"),
        ],
    )
    for s in document.sources:
        sources.append(
            [
                _cell(s["number"]),
                _cell(s["dataset"]),
                _cell(s["version"]),
                _cell(s["institution"]),
                _cell(s["period_start"]),
                _cell(s["period_end"]),
                _cell(s["file"]),
                _cell(s["rows"]),
                _cell(s["sha256"]),
                _cell(", ".join(s["questions"])),
            ]
        )

    return exports.xlsx_bytes(workbook)


# --- JSON ------------------------------------------------------------------------------------


def json_data(document: Document) -> dict:
    def question(q: dict) -> dict:
        item = {
            "code": q["code"],
            "text": q["text"],
            "kind": q["kind"],
            "answer": q["answer"],
            "value": q["value"],
            "prefilled": q["prefilled"],
            "overridden": q["overridden"],
            "override_reason": q["override_reason"],
            "answered_by": q["answered_by"],
            "answered_at": q["answered_at"],
            "sources": q["source_numbers"],
        }
        if q["kind"] == "table":
            item["columns"] = [{k: c[k] for k in ("key", "label", "type")} for c in q["columns"]]
            item["rows"] = q["rows"]
            item["note"] = q["note"]
            # The rows are the answer; what the portal computed is kept only where it differs.
            del item["answer"], item["value"]
            if not q["overridden"]:
                item["prefilled"] = None
        return item

    return {
        "schema": SCHEMA,
        "generated_at": document.generated_at,
        "report": document.report,
        "approvals": document.approvals,
        "parts": [
            {
                "code": part["code"],
                "sections": [
                    {
                        "code": s["code"],
                        "title": s["title"],
                        "institution": s["institution"],
                        "status": s["status"],
                        "questions": [question(q) for q in s["questions"]],
                    }
                    for s in part["sections"]
                ],
            }
            for part in document.parts
        ],
        "sources": [
            {k: v for k, v in s.items() if k != "recorded_sha256"} for s in document.sources
        ],
    }


def render_json(document: Document) -> bytes:
    # Compact, so that the C encoder writes it (an indented dump runs in pure Python).
    text = json.dumps(
        json_data(document), cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    )
    return text.encode("utf-8")
