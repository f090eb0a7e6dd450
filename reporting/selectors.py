"""Reads of Article 15 reports for the pages, already checked against what the user may see and
costing a fixed number of queries, whatever number of sections, questions and rows."""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting import permissions as perms
from reporting.models import (
    Answer,
    Question,
    Report,
    ReportEvent,
    Round,
    Section,
    SectionAssignment,
)

CUSTOMS_FLOWS = ("import", "export")


def days_left(due: datetime.date | None, on: datetime.date) -> int | None:
    return (due - on).days if due else None


def round_list(
    *, user, on: datetime.date | None = None, convention: str = "stockholm"
) -> list[dict]:
    """Every round with its reports (newest version first), its due date and the days left.
    Two queries."""
    if not perms.can_view_report(user):
        return []
    on = on or timezone.localdate()
    reports = Report.objects.select_related("approved_by").order_by("-version")
    rows = []
    rounds = Round.objects.filter(convention=convention)
    for round_ in rounds.prefetch_related(Prefetch("reports", queryset=reports)):
        round_reports = list(round_.reports.all())
        current = next((r for r in round_reports if r.status != Report.Status.SUPERSEDED), None)
        left = days_left(round_.due, on)
        rows.append(
            {
                "round": round_,
                "reports": round_reports,
                "current": current,
                "days_left": left,
                "days_late": -left if left is not None else None,
                "open": current is None
                or current.status in (Report.Status.DRAFT, Report.Status.APPROVED),
            }
        )
    return rows


def report_get_for_user(*, user, pk: int, manage: bool = False) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("round", "created_by", "approved_by", "corrects"), pk=pk
    )
    allowed = perms.can_manage_reports(user) if manage else perms.can_view_report(user, report)
    if not allowed:
        raise PermissionDenied
    return report


def _answered(value, prefilled) -> bool:
    """Whether an answer has a value (``Answer.effective``: its own, else the prefilled one)."""
    value = value if value is not None else prefilled
    if isinstance(value, dict):
        return bool(value.get("rows") or value.get("note"))
    return value is not None


def report_detail(*, report: Report, user, on: datetime.date | None = None) -> dict:
    """The report's parts and sections with who answers each, where it stands and how many of
    its questions have an answer; its outputs and later versions (its trail is
    ``report_events``). Three queries, a fourth for whose focal point the reader is when an open
    section is given to an institution, and one for the later versions when the page shows them
    (a superseded report)."""
    on = on or timezone.localdate()
    assignments = list(
        SectionAssignment.objects.filter(report=report)
        .select_related("section", "institution")
        .order_by("section__order")
    )
    answers = Answer.objects.filter(report=report).values_list(
        "question__section_id", "value", "prefilled", "overridden"
    )
    answered, total, overrides = defaultdict(int), defaultdict(int), defaultdict(int)
    for section_id, value, prefilled, overridden in answers:
        total[section_id] += 1
        answered[section_id] += _answered(value, prefilled)
        overrides[section_id] += overridden
    parts: dict[str, list] = {}
    # Whose focal point the reader is matters only for an open section given to an institution.
    asked = not report.is_locked and any(a.institution_id and a.is_open() for a in assignments)
    focal_ids = perms.focal_institution_ids(user) if asked else set()
    for assignment in assignments:
        sid = assignment.section_id
        assignment.answered, assignment.total = answered[sid], total[sid]
        assignment.overrides = overrides[sid]
        assignment.can_answer = perms.can_answer(user, _with_report(assignment, report), focal_ids)
        parts.setdefault(assignment.section.part, []).append(assignment)
    statuses = [a.status for a in assignments]
    left = days_left(report.round.due, on)
    return {
        "report": report,
        "parts": [{"part": part, "assignments": items} for part, items in parts.items()],
        "accepted": statuses.count(SectionAssignment.Status.ACCEPTED),
        "sections": len(statuses),
        "all_accepted": bool(statuses)
        and all(s == SectionAssignment.Status.ACCEPTED for s in statuses),
        "outputs": list(
            report.outputs.select_related("requested_by").order_by("-requested_at", "-pk")
        ),
        # Read only when the report is superseded (the page's link to its correction).
        "later": report.corrections.order_by("version"),
        "days_left": left,
        "days_late": -left if left is not None else None,
    }


def report_events(report: Report) -> list[ReportEvent]:
    """The report's trail, latest first: its last 50 events with who and which section."""
    return list(
        ReportEvent.objects.filter(report=report)
        .select_related("actor", "assignment__section")
        .order_by("-at", "-pk")[:50]
    )


def _with_report(assignment: SectionAssignment, report: Report) -> SectionAssignment:
    assignment.report = report  # already loaded: spares a query per section
    return assignment


def section_get(*, report: Report, section_pk: int) -> SectionAssignment:
    assignment = get_object_or_404(
        SectionAssignment.objects.select_related("section", "institution"),
        report=report,
        section_id=section_pk,
    )
    return _with_report(assignment, report)


def customs_lines_url(row: dict) -> str | None:
    """The customs lines behind an import or export total of the trade table."""
    if row.get("flow") not in CUSTOMS_FLOWS or not (row.get("chemical_slug") or row.get("code")):
        return None
    if row.get("code"):
        # A group or indicative row, or a chemical's share of a group row: the code's lines.
        query = {"code": row["code"], "national": "1" if row.get("national") else "0"}
    else:
        query = {"chemical": row["chemical_slug"]}
    query.update(year=row.get("year"), flow=row["flow"])
    if row.get("match"):
        query["match"] = row["match"]
    return reverse("inventories:data-customs-lines") + "?" + urlencode(query)


# Numbers shown as they are, without grouping: years and Toolkit group numbers.
PLAIN_NUMBERS = ("year", "group")


def _labels() -> dict:
    from inventories.models import Flow, Match

    return {
        "flow": {**dict(Flow.choices), "production": _("Production")},
        "match": dict(Match.choices),
    }


def _group_query(row: dict) -> str | None:
    """For a group row of the trade table (attributed or not): the query of its attribution
    page."""
    if row.get("match") != "group" or not row.get("code") or row.get("flow") not in CUSTOMS_FLOWS:
        return None
    return urlencode(
        {
            "code": row["code"],
            "national": "1" if row.get("national") else "0",
            "year": row.get("year"),
            "flow": row["flow"],
        }
    )


BASEL_TABLES = (
    Question.Prefill.BASEL_EXPORTS,
    Question.Prefill.BASEL_IMPORTS,
    Question.Prefill.BASEL_TRANSIT,
)


def row_references(text) -> list[tuple[int, list[int]]]:
    """The dataset rows a Basel table row names, as ``prefill_basel`` writes them
    (``v12: 2, 3; v14: 5``): (version, row numbers) pairs; none for text in another shape."""
    found = []
    for part in str(text or "").split(";"):
        version, _colon, numbers = part.strip().partition(":")
        if not version.startswith("v") or not version[1:].isdigit():
            continue
        rows = [int(n) for n in numbers.replace(" ", "").split(",") if n.isdigit()]
        if rows:
            found.append((int(version[1:]), rows))
    return found


def dataset_rows_links(row: dict, openable: set[int]) -> list[dict]:
    """Links to the rows behind a Basel table row, one per dataset version, for the versions
    the reader may open; the others are named in the row, not linked."""
    return [
        {
            "version": version,
            "url": reverse("inventories:version-rows", args=[version])
            + "?"
            + urlencode({"n": ",".join(str(n) for n in numbers)}),
        }
        for version, numbers in row_references(row.get("rows"))
        if version in openable
    ]


def _table_view(question: Question, value, openable: set[int] = frozenset()) -> dict | None:
    if not isinstance(value, dict):
        return None
    trade = question.prefill == Question.Prefill.TRADE
    basel = question.prefill in BASEL_TABLES
    labels = _labels() if trade else {}
    rows = [
        {
            "cells": [
                {
                    "key": c["key"],
                    "label": c.get("label", c["key"]),
                    "type": c.get("type", "text"),
                    "value": row.get(c["key"]),
                    "shown": labels.get(c["key"], {}).get(row.get(c["key"]), row.get(c["key"])),
                    "plain": c["key"] in PLAIN_NUMBERS,
                }
                for c in question.columns
            ],
            "slug": row.get("chemical_slug", ""),
            "lines_url": customs_lines_url(row) if trade else None,
            "group": _group_query(row) if trade else None,
            "row_links": dataset_rows_links(row, openable) if basel else [],
        }
        for row in value.get("rows", [])
    ]
    return {"rows": rows, "note": value.get("note", ""), "basel": basel}


def openable_versions(user, answers) -> set[int]:
    """The dataset versions named as sources of these answers that the user may open (another
    institution's dataset is named, not linked): one query, and none without such sources."""
    from inventories.models import DatasetVersion
    from inventories.permissions import can_view_dataset

    ids = {
        source["dataset_version"]
        for answer in answers
        for source in answer.sources or ()
        if isinstance(source, dict) and source.get("dataset_version")
    }
    if not ids:
        return set()
    versions = DatasetVersion.objects.filter(pk__in=ids).select_related("dataset")
    return {v.pk for v in versions if can_view_dataset(user, v.dataset)}


def section_detail(*, assignment: SectionAssignment, user) -> dict:
    """A section's questions, each with its answer: what the portal computed and from which
    sources (each customs total linked to its lines), what a person entered, and any override
    with its reason. Three queries."""
    report = assignment.report
    questions = list(Question.objects.filter(section=assignment.section).order_by("order"))
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(
            report=report, question__section=assignment.section
        ).select_related("answered_by")
    }
    may_attribute = perms.can_answer(user, assignment) and not report.is_locked
    openable = openable_versions(user, answers.values())
    items = []
    for question in questions:
        answer = answers.get(question.pk)
        prefilled_table = _table_view(question, answer.prefilled, openable) if answer else None
        for row in (prefilled_table or {}).get("rows", []):
            row["attribute_url"] = (
                reverse("reporting:article15-group-attribute", args=[report.pk, question.pk])
                + "?"
                + row["group"]
                if may_attribute and row.get("group")
                else None
            )
        items.append(
            {
                "question": question,
                "answer": answer,
                "prefilled_table": prefilled_table,
                "value_table": _table_view(question, answer.value, openable) if answer else None,
                "edit_table": _table_view(question, answer.effective) if answer else None,
            }
        )
    sections = list(Section.objects.filter(round=report.round).only("pk", "code", "title", "order"))
    index = next((i for i, s in enumerate(sections) if s.pk == assignment.section_id), 0)
    return {
        "report": report,
        "assignment": assignment,
        "section": assignment.section,
        "items": items,
        "can_answer": perms.can_answer(user, assignment),
        "can_review": perms.can_edit_report(user, report),
        "openable_versions": openable,
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
    }


def group_row_detail(
    *,
    report: Report,
    question: Question,
    code: str,
    national: bool,
    year: int,
    flow: str,
    line_limit: int = 200,
) -> dict | None:
    """A group row of the trade table as the data give it now, the chemicals its code names,
    the declarations behind it (the first ``line_limit``, with their descriptions), and its
    attribution if one is kept. None when no such row exists."""
    from inventories.models import Chemical
    from inventories.selectors_data import customs_lines_for_total
    from reporting import prefill
    from reporting.models import GroupAttribution

    rows, _sources = prefill.trade_rows(report.round)
    key = (code, national, year, flow)
    row = next((r for r in rows if r["match"] == "group" and prefill.group_key(r) == key), None)
    attribution = (
        GroupAttribution.objects.filter(
            answer__report=report,
            answer__question=question,
            code=code,
            national=national,
            year=year,
            flow=flow,
        )
        .select_related("attributed_by")
        .first()
    )
    if row is None:
        return None
    lines = customs_lines_for_total(
        code=code, national=national, year=year, flow=flow, match="group"
    ).order_by("declared_on", "pk")
    return {
        "row": row,
        "members": list(Chemical.objects.filter(slug__in=row["members"]).order_by("name")),
        "lines": list(lines[:line_limit]),
        "line_count": row["lines"],
        "attribution": attribution,
    }
