"""The datasets registry: the app that keeps data sets over periods (inventories) registers, in
``AppConfig.ready()``, the function that lists those covering a period, so that an app which shows
them beside its own work (the NIP update's inventory step) asks here without importing it.

The function is given by its dotted path and takes ``start`` and ``end`` (dates, keyword-only); it
returns the data sets whose period overlaps [start, end]. With none registered there are none."""

from django.utils.module_loading import import_string

_covering: str | None = None


def register_covering(path: str) -> None:
    """Register (or replace, on reload) the function listing the data sets over a period."""
    global _covering
    _covering = path


def covering(*, start, end) -> list:
    """The data sets whose period overlaps [start, end], as the registered function orders them."""
    if _covering is None:
        return []
    return list(import_string(_covering)(start=start, end=end))
