"""Reference data: the COP amendments and the eight step templates (nip_lifecycle/reference.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from nip_lifecycle.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("nip_lifecycle", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
