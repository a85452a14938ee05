"""Encryption at rest: keys rotate, a record no key opens is never overwritten, group robots'
signing secrets are ciphertext in the database, and a malformed key stops the start."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from qunce.core.crypto import UNREADABLE
from qunce.core.models import GroupRobot
from qunce.counselling.models import CounsellingCase
from qunce.counselling.tests.test_cases import _ask

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotating_the_key_re_encrypts_every_field_so_the_old_key_can_go(world, settings, capsys):
    settings.COUNSELLING_KEY = OLD
    case = _ask(world)
    before = _raw("counselling_counsellingcase", "description", case.pk)
    settings.COUNSELLING_KEY = f"{NEW},{OLD}"
    assert CounsellingCase.objects.get(pk=case.pk).description == "最近总是睡不着"
    call_command("rotate_encryption_key")
    assert "已用新密钥重新加密 3 个字段值；0 个无法解密" in capsys.readouterr().out
    after = _raw("counselling_counsellingcase", "description", case.pk)
    assert after != before
    assert Fernet(NEW.encode()).decrypt(after.encode()).decode() == "最近总是睡不着"
    settings.COUNSELLING_KEY = NEW
    assert CounsellingCase.objects.get(pk=case.pk).contact == "13900000000"


def test_a_record_no_key_opens_reads_as_a_warning_and_saving_it_keeps_the_content(world, settings):
    settings.COUNSELLING_KEY = OLD
    case = _ask(world)
    ciphertext = _raw("counselling_counsellingcase", "description", case.pk)
    settings.COUNSELLING_KEY = NEW  # the old key was dropped too early
    unreadable = CounsellingCase.objects.get(pk=case.pk)
    assert unreadable.description == UNREADABLE
    unreadable.save()
    assert _raw("counselling_counsellingcase", "description", case.pk) == ciphertext
    settings.COUNSELLING_KEY = OLD
    assert CounsellingCase.objects.get(pk=case.pk).description == "最近总是睡不着"


def test_a_robots_signing_secret_is_ciphertext_in_the_database(world):
    robot = GroupRobot.objects.create(
        unit=world.unit_a,
        kind="dingtalk",
        name="甲学院群",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=x",
        secret="SECsecret123",
    )
    assert "SECsecret123" not in _raw("core_grouprobot", "secret", robot.pk)
    assert GroupRobot.objects.get(pk=robot.pk).secret == "SECsecret123"


def _start(**environment):
    """Import the settings in a fresh interpreter the way a server starts."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "qunce.settings", **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_malformed_counselling_key_stops_the_start():
    started = _start(COUNSELLING_KEY="not-a-key")
    assert started.returncode != 0
    assert "COUNSELLING_KEY is not a Fernet key" in started.stderr
    good = "cXVuY2UtY2hlY2tpbi1iZW5jaC1rZXktbm90LXJlYWw="
    assert _start(COUNSELLING_KEY=good).returncode == 0
