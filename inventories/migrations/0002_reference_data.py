"""Loads the listed chemicals, the HS codes that point to them and the Toolkit's source groups,
categories and confirmed emission factors (inventories/reference/, each row with its source)."""

from django.db import migrations


def load(apps, schema_editor):
    from inventories.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("inventories", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
