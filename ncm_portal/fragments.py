"""Version stamps for cached page fragments.

A page caches a rarely-changing fragment (the directory's rows, a body's member table, a
workplan's task tables and timeline) with the template's ``{% cache %}`` tag, under a key that
carries ``stamp(names...)``: one token per kind of record the fragment shows. Whatever changes
those records calls ``bump(names...)``, which draws a new token once the transaction commits, so
the next request builds the fragment anew and nothing stale is ever shown. Tokens are random, not
counters: a token evicted from the cache comes back as a new one, never as an old value.

The cache is the default one: Redis in production, local memory in the embedded mode (one
process: its own stamps and fragments, consistent with each other). Who bumps what is declared in
one table per app (``coordination.fragments``), wired to the models' save and delete signals, which
every service goes through; a service that writes with ``QuerySet.update`` calls ``bump`` itself.
"""

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


def connect(table: dict, app: str) -> None:
    """Wire a table of ``{model: (names, ...)}`` to the models' save, delete and many-to-many
    signals: each change bumps the names (one table per app, e.g. ``coordination.fragments``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model, names in table.items():

        def changed(sender, names=names, **kwargs):
            bump(*names)

        uid = f"fragments.{app}.{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=uid + ".delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}",
                weak=False,
            )


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
