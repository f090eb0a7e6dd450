"""The audit history the secretariat reads: every recorded change to the models that the apps
register here (django-simple-history keeps the rows), newest first, across models.

Apps above coordination register their own models in ``AppConfig.ready()`` with ``track()``, so
that this module never imports them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Model

TRACKED: dict[str, tuple[type[Model], object]] = {}
# Fields that change on every save and say nothing to a reader.
SKIPPED_FIELDS = {"updated_at", "created_at", "modified", "prefilled_at"}
PAGE = 50


def track(key: str, model: type[Model], label) -> None:
    """Show the history of ``model`` (which has ``history = HistoricalRecords()``) as ``label``."""
    TRACKED[key] = (model, label)


@dataclass
class Change:
    key: str
    label: object
    when: datetime.datetime
    who: object
    kind: str  # "+" created, "~" changed, "-" deleted
    object_id: int
    name: str
    reason: str
    url: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _diff(model, record, previous) -> list[tuple[str, str, str]]:
    changes = []
    for f in model._meta.concrete_fields:
        name = f.attname
        if name in SKIPPED_FIELDS or f.primary_key:
            continue
        before, after = getattr(previous, name, None), getattr(record, name, None)
        if before != after:
            changes.append((str(f.verbose_name), _text(before), _text(after)))
    return changes


def _object_url(record) -> str:
    try:
        return record.instance.get_absolute_url()
    except Exception:  # noqa: BLE001 - an object without a page, or deleted since
        return ""


def recent_changes(*, key: str = "", before: datetime.datetime | None = None) -> list[Change]:
    """The PAGE newest changes before ``before``, of one tracked model or of all. Two queries per
    model: its newest history rows, and the rows just before them to say what changed."""
    keys = [key] if key in TRACKED else list(TRACKED)
    rows = []
    for k in keys:
        model, label = TRACKED[k]
        history = model.history.select_related("history_user")
        if before is not None:
            history = history.filter(history_date__lt=before)
        rows.extend((k, r) for r in history.order_by("-history_date", "-history_id")[:PAGE])
    rows.sort(key=lambda kr: kr[1].history_date, reverse=True)
    rows = rows[:PAGE]

    # The record just before each change, per model, in one query.
    previous: dict[tuple[str, int], list] = {}
    for k in {k for k, _r in rows}:
        model, _label = TRACKED[k]
        mine = [r for kk, r in rows if kk == k]
        ids = {r.id for r in mine}
        newest = max(r.history_date for r in mine)
        for old in model.history.filter(id__in=ids, history_date__lt=newest).order_by(
            "id", "-history_date", "-history_id"
        ):
            previous.setdefault((k, old.id), []).append(old)

    changes = []
    for k, record in rows:
        model, label = TRACKED[k]
        earlier = next(
            (
                p
                for p in previous.get((k, record.id), [])
                if (p.history_date, p.history_id) < (record.history_date, record.history_id)
            ),
            None,
        )
        kind = record.history_type
        changes.append(
            Change(
                key=k,
                label=label,
                when=record.history_date,
                who=record.history_user,
                kind=kind,
                object_id=record.id,
                name=_text(record),
                reason=record.history_change_reason or "",
                url="" if kind == "-" else _object_url(record),
                fields=_diff(model, record, earlier) if kind == "~" and earlier else [],
            )
        )
    return changes
