"""Helpers every service uses: apply fields, validate and save with the author recorded."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def assign_fields(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def save_with_history(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def check_period(start: datetime.date, end: datetime.date | None) -> None:
    if end is not None and end <= start:
        raise ValidationError(
            _("The end date must come after the start date (%(start)s).") % {"start": start},
            code="end_before_start",
        )
