from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_university_shares_experts"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="shares_details",
            field=models.BooleanField(default=False, verbose_name="向省级管理员共享人员信息"),
        ),
    ]
