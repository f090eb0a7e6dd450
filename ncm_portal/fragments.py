"""Version stamps for cached page fragments.

A page caches a rarely-changing fragment (the directory's rows, a body's member table, a
workplan's task tables and timeline) with the template's ``{% cache %}`` tag, under a key that
carries ``stamp(names...)``: one token per kind of record the fragment shows. Whatever changes
those records calls ``bump(names...)``, which draws a new token once the transaction commits, so
the next request builds the fragment anew and nothing stale is ever shown. Tokens are random, not
counters: a token evicted from the cache comes back as a new one, never as an old value.

The cache is the default one: Redis in production, local memory in the embedded mode (one
process: its own stamps and fragments, consistent with each other). Which tables retire which
names is declared in one table per app (``coordination.fragments``); the database connection bumps
them after every statement that writes to one of those tables (``connect``), whichever service
wrote it and however (a save, ``QuerySet.update``, a bulk load, a many-to-many change).
"""

import re
import secrets

from django.core.cache import cache
from django.db import transaction

PREFIX = "fragments:stamp:"
TIMEOUT = 7 * 24 * 3600  # a fragment unused for a week is built again (templates: 604800)
STAMP_TIMEOUT = None  # stamps live as long as the cache keeps them


def stamp(*names: str) -> str:
    """The current token of each name, joined: part of a cached fragment's key."""
    keys = [PREFIX + name for name in names]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(6) for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=STAMP_TIMEOUT)
        found.update(missing)
    return "-".join(found[key] for key in keys)


def _draw(names) -> None:
    cache.set_many({PREFIX + n: secrets.token_hex(6) for n in names}, timeout=STAMP_TIMEOUT)


class _Pending:
    """The names bumped in one transaction, drawn again once when it commits."""

    def __init__(self):
        self.names: set[str] = set()

    def __call__(self) -> None:
        _draw(self.names)


def bump(*names: str) -> None:
    """Retire the fragments stamped with these names: at once, so that nothing rendered from
    here on (in this transaction too) reuses a fragment of the old rows, and again when the
    current transaction commits, to retire what a concurrent request built from the old rows
    in between. A transaction that saves many rows registers one callback on commit."""
    if not names:
        return
    _draw(names)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "ncm_fragments_pending", None)
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _Pending()
        connection.ncm_fragments_pending = pending
        transaction.on_commit(pending)
    pending.names.update(names)


# The names each table's writes retire: ``{db_table: {name, ...}}``, filled by ``connect``.
_WRITES: dict[str, set[str]] = {}
# The table a statement writes to, as Django (and any SQL of ours) spells it.
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def connect(table: dict, app: str) -> None:
    """Declare which names each model's changes retire (one table per app, e.g.
    ``coordination.fragments``): ``{model: (names, ...)}``. Every statement that writes to the
    model's table or to one of its many-to-many tables bumps the names, whatever wrote it: a
    model's save or delete, ``QuerySet.update`` and ``bulk_create``, a many-to-many change, raw
    SQL. The database connection itself watches (``_watch``), so no write path can forget."""
    for model, names in table.items():
        tables = [model._meta.db_table] + [
            field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many
        ]
        for name in tables:
            _WRITES.setdefault(name, set()).update(names)
    _install()


def _watch(execute, sql, params, many, context):
    """A connection's execute wrapper: runs the statement, then bumps the names of the table it
    wrote to, if any."""
    result = execute(sql, params, many, context)
    found = _WRITE.match(sql) if isinstance(sql, str) else None
    if found is not None:
        names = _WRITES.get(found.group(1))
        if names:
            bump(*names)
    return result


_INSTALLED: list = []


def _install() -> None:
    """Wrap every database connection, those already open and those opened later."""
    if _INSTALLED:
        return
    from django.db import connections
    from django.db.backends.signals import connection_created

    def wrap(connection, **kwargs):
        if _watch not in connection.execute_wrappers:
            connection.execute_wrappers.append(_watch)

    connection_created.connect(wrap, weak=False, dispatch_uid="fragments.watch")
    for connection in connections.all(initialized_only=True):
        wrap(connection)
    _INSTALLED.append(True)


def key(*names: str) -> str:
    """What a cached fragment's key carries besides its own variables: the stamps of ``names``,
    the language, the time zone and today's date (overdue marks, "today" lines)."""
    from django.utils import timezone, translation

    return "|".join(
        (
            stamp(*names),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
        )
    )
