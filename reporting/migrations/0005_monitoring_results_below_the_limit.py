"""The monitoring results table of the report format says how many results were below the limit
and gives the median with censored values reported as such; questions already loaded gain the
two columns (after "Detected" and after the mean), unless an administrator removed or renamed
them."""

from django.db import migrations

BELOW = {"key": "below_limit", "label": "Below the limit", "type": "number"}
MEDIAN = {
    "key": "median",
    "label": "Median (< limit or n.d. when it falls below the limit)",
    "type": "text",
}


def add_columns(apps, schema_editor):
    Question = apps.get_model("reporting", "Question")
    for question in Question.objects.filter(prefill="monitoring", kind="table"):
        columns = list(question.columns or [])
        keys = [c.get("key") for c in columns]
        if "below_limit" in keys or "median" in keys or "detected" not in keys:
            continue
        columns.insert(keys.index("detected") + 1, BELOW)
        keys = [c.get("key") for c in columns]
        at = keys.index("mean") + 1 if "mean" in keys else len(columns)
        columns.insert(at, MEDIAN)
        question.columns = columns
        question.save(update_fields=["columns"])


def remove_columns(apps, schema_editor):
    Question = apps.get_model("reporting", "Question")
    for question in Question.objects.filter(prefill="monitoring", kind="table"):
        columns = [c for c in question.columns if c.get("key") not in ("below_limit", "median")]
        if columns != question.columns:
            question.columns = columns
            question.save(update_fields=["columns"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_group_attributions")]

    operations = [migrations.RunPython(add_columns, remove_columns)]
