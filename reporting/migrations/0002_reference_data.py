"""Reference data: the Article 15 reporting rounds and the report format of the fifth and sixth
rounds (reporting/reference/article15_round6.json, sources in reporting/reference/README.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from reporting.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
