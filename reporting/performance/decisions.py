"""The performance report's sections on datasets accepted, ballots and NIP steps."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Ballot,
)
from inventories.models import DatasetType, DatasetVersion
from nip_lifecycle.models import Step
from reporting.performance.period import Period, percent


def datasets_section(period: Period) -> dict:
    """One query: dataset versions uploaded in the year (uploads of a file already received left
    out), per institution and type: uploaded, submitted for review, accepted (their review status
    today)."""
    Review = DatasetVersion.Review
    rows = list(
        DatasetVersion.objects.filter(period.during("uploaded_at"))
        .exclude(status=DatasetVersion.Status.DUPLICATE)
        .values("dataset__institution", "dataset__institution__name", "dataset__dataset_type")
        .annotate(
            uploaded=Count("pk"),
            submitted=Count("pk", filter=~Q(review_status=Review.NOT_SUBMITTED)),
            accepted=Count("pk", filter=Q(review_status=Review.ACCEPTED)),
            rows_accepted=Sum("rows_accepted"),
        )
        .order_by("dataset__institution__name", "dataset__dataset_type")
    )
    types = dict(DatasetType.choices)
    by_type = defaultdict(lambda: defaultdict(int))
    for row in rows:
        row["type"] = types.get(row["dataset__dataset_type"], row["dataset__dataset_type"])
        row["share"] = percent(row["accepted"], row["uploaded"])
        for key in ("uploaded", "submitted", "accepted"):
            by_type[row["type"]][key] += row[key]
    totals = {k: sum(row[k] for row in rows) for k in ("uploaded", "submitted", "accepted")}
    totals["share"] = percent(totals["accepted"], totals["uploaded"])
    return {"rows": rows, "by_type": {t: dict(v) for t, v in by_type.items()}, "totals": totals}


# --- 8. Ballots and turnout --------------------------------------------------------------------


def ballots_section(period: Period) -> dict:
    """One query: ballots closed in the year, with the turnout frozen in their result."""
    ballots = list(
        Ballot.objects.filter(period.during("closed_at"), status=Ballot.Status.CLOSED)
        .select_related("body")
        .only("question", "kind", "closed_at", "result", "body__name")
        .order_by("closed_at", "pk")
    )
    rows = []
    for ballot in ballots:
        result = ballot.result or {}
        rows.append(
            {
                "ballot": ballot,
                "electorate": result.get("electorate", 0),
                "participants": result.get("participants", 0),
                "turnout": percent(result.get("participants", 0), result.get("electorate", 0)),
                "quorum_met": bool(result.get("quorum_met")),
                "words": result.get("words", ""),
            }
        )
    electorate = sum(row["electorate"] for row in rows)
    participants = sum(row["participants"] for row in rows)
    return {
        "rows": rows,
        "count": len(rows),
        "electorate": electorate,
        "participants": participants,
        "turnout": percent(participants, electorate),
        "quorum_met": sum(1 for row in rows if row["quorum_met"]),
    }


# --- 9. NIP steps against plan -----------------------------------------------------------------


def nip_steps_section(period: Period) -> dict:
    """One query: steps planned to end in the year or that ended in it. On time: ended on or
    before the planned end; late: after it; behind: planned to end before today or the year's
    end and not ended by then."""
    in_year = Q(planned_end__gte=period.first, planned_end__lt=period.after) | Q(
        actual_end__gte=period.first, actual_end__lt=period.until
    )
    steps = list(
        Step.objects.filter(in_year)
        .select_related("cycle")
        .only("cycle__title", "number", "name", "planned_end", "actual_end", "status")
        .order_by("cycle__title", "cycle_id", "number")
    )
    verdicts = {
        "on_time": _("On time"),
        "late": _("Late"),
        "behind": _("Behind plan"),
        "not_due": _("Not yet due"),
        "unplanned": _("Ended without a planned end"),
    }
    rows, counts = [], defaultdict(int)
    for step in steps:
        ended = step.actual_end if step.actual_end and step.actual_end < period.until else None
        if ended and step.planned_end is None:
            verdict = "unplanned"
        elif ended:
            verdict = "on_time" if ended <= step.planned_end else "late"
        elif step.planned_end < period.until:
            verdict = "behind"
        else:
            verdict = "not_due"
        counts[verdict] += 1
        delay = (ended - step.planned_end).days if ended and step.planned_end else None
        if verdict == "behind":
            delay = (period.until - datetime.timedelta(days=1) - step.planned_end).days
        rows.append({"step": step, "ended": ended, "verdict": verdicts[verdict], "delay": delay})
    return {
        "rows": rows,
        "counts": [(verdicts[k], counts[k]) for k in verdicts],
        "on_time": counts["on_time"],
        "planned": sum(counts[k] for k in ("on_time", "late", "behind")),
        "share": percent(counts["on_time"], counts["on_time"] + counts["late"] + counts["behind"]),
    }


# --- The whole report --------------------------------------------------------------------------
