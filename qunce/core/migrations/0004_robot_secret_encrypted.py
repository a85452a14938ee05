from django.db import migrations

import qunce.core.crypto


def encrypt_existing_secrets(apps, schema_editor):
    """The secrets stored so far are plain text: read them raw (the field would try to decrypt
    them) and write them back encrypted."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM core_grouprobot WHERE secret <> ''")
        for robot_id, secret in cursor.fetchall():
            cursor.execute(
                "UPDATE core_grouprobot SET secret = %s WHERE id = %s",
                [qunce.core.crypto.encrypt(secret), robot_id],
            )


def decrypt_secrets(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM core_grouprobot WHERE secret <> ''")
        for robot_id, secret in cursor.fetchall():
            cursor.execute(
                "UPDATE core_grouprobot SET secret = %s WHERE id = %s",
                [str(qunce.core.crypto.decrypt(secret)), robot_id],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_grouprobot_delivery"),
    ]

    operations = [
        migrations.AlterField(
            model_name="grouprobot",
            name="secret",
            field=qunce.core.crypto.EncryptedTextField(
                blank=True,
                help_text="钉钉机器人开启“加签”时填写。",
                max_length=100,
                verbose_name="加签密钥",
            ),
        ),
        migrations.RunPython(encrypt_existing_secrets, decrypt_secrets),
    ]
