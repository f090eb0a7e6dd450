"""The permission registry: what a person may do, asked the same way by views and templates.

Each app keeps its rules as ``can_<what>(user, *objects)`` functions in its ``permissions.py``
and registers that module here in ``AppConfig.ready()``. Views enforce the rules by calling the
functions; templates ask them through the ``{% can %}`` tag (``ncm_portal.templatetags``), by
name, so that a menu entry or a button is offered exactly to those whose request would succeed:

    {% load permissions %}
    {% can "inventories.upload_any" as may_upload %}
    {% can "inventories.view_dataset" dataset as may_open %}
"""

from types import ModuleType

_registry: dict[str, ModuleType] = {}


def register(app_label: str, module: ModuleType) -> None:
    """Register (or replace, on reload) the permission functions of one app."""
    _registry[app_label] = module


def predicate(name: str):
    """The function behind ``"app.what"``: ``can_what`` in that app's permissions module."""
    app_label, _dot, what = name.partition(".")
    try:
        return getattr(_registry[app_label], f"can_{what}")
    except (KeyError, AttributeError):
        raise LookupError(f"no permission {name!r}: register {app_label}.permissions") from None


def allowed(user, name: str, *objects) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(predicate(name)(user, *objects))
