"""Group matches: a code that names several listed chemicals identifies a group of them, not each
one. The HS and national codes said to be specific that name several chemicals become group codes,
the stored matches of the customs lines follow, and the totals of every loaded customs version are
computed again, so that each line is counted once: for its chemical, or under its code."""

import django.db.models.deletion
from django.db import migrations, models


def codes_to_groups(apps, schema_editor):
    from inventories.services.customs import totals_rebuild

    for name in ("HSCode", "NationalProductCode"):
        model = apps.get_model("inventories", name)
        for code in model.objects.filter(match="specific").prefetch_related("chemicals"):
            if len(code.chemicals.all()) > 1:
                model.objects.filter(pk=code.pk).update(match="group")
    apps.get_model("inventories", "CustomsTotal").objects.all().delete()
    totals_rebuild(get=apps.get_model)
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        # The rows just written leave deferred foreign-key checks pending; PostgreSQL refuses to
        # alter a table with pending trigger events, and the constraint below does.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def groups_to_codes(apps, schema_editor):
    for name in ("HSCode", "NationalProductCode", "CustomsRecord"):
        apps.get_model("inventories", name).objects.filter(match="group").update(match="specific")
    apps.get_model("inventories", "CustomsTotal").objects.filter(chemical__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('inventories', '0002_reference_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='customstotal',
            name='code',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name='customstotal',
            name='national',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='customsrecord',
            name='match',
            field=models.CharField(blank=True, choices=[('specific', 'Specific'), ('group', 'Group of chemicals'), ('indicative', 'Indicative only')], max_length=12, verbose_name='POPs match'),
        ),
        migrations.AlterField(
            model_name='customstotal',
            name='chemical',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inventories.chemical'),
        ),
        migrations.AlterField(
            model_name='customstotal',
            name='match',
            field=models.CharField(choices=[('specific', 'Specific'), ('group', 'Group of chemicals'), ('indicative', 'Indicative only')], max_length=12),
        ),
        migrations.AlterField(
            model_name='historicalnationalproductcode',
            name='match',
            field=models.CharField(choices=[('specific', 'Specific'), ('group', 'Group of chemicals'), ('indicative', 'Indicative only')], max_length=12, verbose_name='match'),
        ),
        migrations.AlterField(
            model_name='hscode',
            name='match',
            field=models.CharField(choices=[('specific', 'Specific'), ('group', 'Group of chemicals'), ('indicative', 'Indicative only')], max_length=12, verbose_name='match'),
        ),
        migrations.AlterField(
            model_name='nationalproductcode',
            name='match',
            field=models.CharField(choices=[('specific', 'Specific'), ('group', 'Group of chemicals'), ('indicative', 'Indicative only')], max_length=12, verbose_name='match'),
        ),
        migrations.RunPython(codes_to_groups, groups_to_codes),
        migrations.AddConstraint(
            model_name='customstotal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('chemical__isnull', False), ('code', ''), ('match', 'specific')), models.Q(('chemical__isnull', True), ('match__in', ['group', 'indicative']), models.Q(('code', ''), _negated=True)), _connector='OR'), name='customs_total_chemical_or_code'),
        ),
    ]
