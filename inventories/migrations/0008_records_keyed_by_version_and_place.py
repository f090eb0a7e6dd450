"""The records tables keyed by (version, place in the version) instead of a surrogate id and a
second index on (version, row): one index to fill while a million rows are copied in, and no
sequence. The place of an existing row is its rank in id order within its version, the order in
which the ingest wrote it. Django cannot alter a table to or from a composite primary key, so each
table is rebuilt: its rows are set aside, the table is made again from the model and the rows are
put back. The reverse numbers the rows again in the order of their places."""

from django.db import migrations, models

RECORDS = (
    "BaselMovementRecord",
    "CustomsRecord",
    "MonitoringRecord",
    "PCBEquipmentRecord",
    "PesticideRecord",
    "UPOPsActivityRecord",
)


def _aside(model) -> str:
    return f"{model._meta.db_table}_aside"


def _columns(model, *leave_out: str) -> list[str]:
    return [
        f.column
        for f in model._meta.local_concrete_fields
        if getattr(f, "column", None) and f.column not in leave_out
    ]


def set_aside(apps, schema_editor):
    """Keep each table's rows in a plain table of their own and drop the table."""
    quote = schema_editor.quote_name
    for name in RECORDS:
        model = apps.get_model("inventories", name)
        table, aside = quote(model._meta.db_table), quote(_aside(model))
        schema_editor.execute(f"DROP TABLE IF EXISTS {aside}")
        schema_editor.execute(f"CREATE TABLE {aside} AS SELECT * FROM {table}")  # noqa: S608
        schema_editor.delete_model(model)


def put_back_keyed(apps, schema_editor):
    """Make each table again, keyed by version and place, and put its rows back in."""
    quote = schema_editor.quote_name
    for name in RECORDS:
        model = apps.get_model("inventories", name)
        schema_editor.create_model(model)
        columns = ", ".join(quote(c) for c in _columns(model, "ordinal"))
        table, aside = quote(model._meta.db_table), quote(_aside(model))
        schema_editor.execute(
            f"INSERT INTO {table} ({columns}, {quote('ordinal')}) "  # noqa: S608 - names are ours
            f"SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY {quote('version_id')} "
            f"ORDER BY {quote('id')}) - 1 FROM {aside}"
        )
        schema_editor.execute(f"DROP TABLE {aside}")


def put_back_numbered(apps, schema_editor):
    """The reverse of :func:`set_aside`: the tables with an id again, given in place order."""
    quote = schema_editor.quote_name
    for name in RECORDS:
        model = apps.get_model("inventories", name)
        schema_editor.create_model(model)
        columns = ", ".join(quote(c) for c in _columns(model, "id"))
        table, aside = quote(model._meta.db_table), quote(_aside(model))
        schema_editor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {aside} "  # noqa: S608
            f"ORDER BY {quote('version_id')}, {quote('ordinal')}"
        )
        schema_editor.execute(f"DROP TABLE {aside}")


def _state(model_name: str) -> list:
    return [
        migrations.RemoveIndex(model_name=model_name, name=f"{model_name}_vrow"),
        migrations.RemoveField(model_name=model_name, name="id"),
        migrations.AddField(
            model_name=model_name,
            name="ordinal",
            field=models.PositiveIntegerField(
                default=None, editable=False, verbose_name="place in the version"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="pk",
            field=models.CompositePrimaryKey(
                "version",
                "ordinal",
                blank=True,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("inventories", "0007_basel_movements"),
    ]

    operations = [
        # set_aside reads the tables as they were; put_back_keyed makes them as they are now.
        migrations.RunPython(set_aside, put_back_numbered),
        migrations.SeparateDatabaseAndState(
            state_operations=[op for name in RECORDS for op in _state(name.lower())]
        ),
        migrations.RunPython(put_back_keyed, set_aside),
    ]
