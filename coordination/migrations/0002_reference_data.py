"""Reference data: conventions, their roles and the mandates (see coordination/reference.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from coordination.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
