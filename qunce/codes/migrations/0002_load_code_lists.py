from django.db import migrations

from qunce.codes.loading import load_code_lists


def load(apps, schema_editor):
    load_code_lists(
        discipline_model=apps.get_model("codes", "Discipline"),
        industry_model=apps.get_model("codes", "Industry"),
        region_model=apps.get_model("codes", "Region"),
    )


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_code_lists")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
