"""Messages about datasets stored as their English source text with their parameters, and shown
in the language of whoever reads them, with numbers in the reader's locale.

A stored message is a dict: ``{"msgid": "“%(value)s” is not a number.", "params": {...}}``.
A parameter is text as it was (a cell of the file), a whole number (formatted with grouping), a
``{"number": "0.05"}`` decimal, a ``{"msgid": ...}`` translatable phrase, or a
``{"field": "net_mass_kg", "type": "customs"}`` column of a schema, shown by its label. Messages
stored before this existed are ``{"text": ...}`` and are shown as they were written."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext


def msgid_of(template) -> str:
    """The source text of a translatable string (a lazy ``gettext_lazy`` object or a str)."""
    args = getattr(template, "_args", None)
    if isinstance(template, Promise) and args:
        return str(args[-1])
    return str(template)


def stored(template, params: dict | None = None) -> dict:
    """The form of a message kept in the database."""
    return {"msgid": msgid_of(template), "params": {k: _keep(v) for k, v in (params or {}).items()}}


def field(dataset_type: str, name: str) -> dict:
    """A parameter naming a schema column, shown by its label in the reader's language."""
    return {"field": name, "type": dataset_type}


def _keep(value):
    if isinstance(value, Promise):
        return {"msgid": msgid_of(value)}
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, (Decimal, float)):
        return {"number": str(value)}
    if isinstance(value, dict):
        return value
    return str(value)


def render(message, fallback: str = "") -> str:
    """The message in the active language; ``fallback`` when there is none."""
    if not message:
        return fallback
    if isinstance(message, str):
        return message
    if "text" in message:
        return str(message["text"])
    params = {k: _show(v) for k, v in (message.get("params") or {}).items()}
    text = gettext(message.get("msgid", ""))
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return message.get("msgid", "") % params


def _show(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, dict):
        if "msgid" in value:
            return gettext(value["msgid"])
        if "number" in value:
            try:
                number = Decimal(value["number"])
            except InvalidOperation:
                return value["number"]
            text = format(number.normalize(), "f") if number == number else str(number)
            places = len(text.split(".")[1]) if "." in text else 0
            return number_format(number, decimal_pos=places, force_grouping=True)
        if "field" in value:
            return field_label(value.get("type", ""), value["field"])
    return value


def field_label(dataset_type: str, name: str) -> str:
    from inventories.schemas import SCHEMAS

    schema = SCHEMAS.get(dataset_type)
    if schema is None:
        return name
    for column in schema.columns:
        if column.name == name:
            return str(column.label)
    return name
