"""Backup, restore and the drill, on a real PostgreSQL: the drill restores into a fresh
database and finds every row, the ledger head and the uploaded files; a truncated or wrongly
keyed backup, or a target that is not empty, is refused with the target untouched."""

import json
from datetime import date
from io import StringIO

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from qunce.core.backup import connection_parameters, database_create_empty, database_drop
from qunce.ledger import services as ledger_services
from qunce.org.models import Campaign

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def filled(code_lists, world, settings, tmp_path):
    campaign = Campaign.objects.create(
        name="行动", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )
    ledger_services.ledger_record(
        person=world.person_a,
        role="technician",
        campaign=campaign,
        date_from=date(2020, 2, 10),
        date_to=date(2020, 2, 10),
        summary="远程诊断高炉复产",
        hours=3,
        people_served=1,
        source=world.person_a,
        acting_user=world.users.unit_admin_a,
    )
    evidence = settings.MEDIA_ROOT / "evidence" / "2020"
    evidence.mkdir(parents=True)
    (evidence / "证明.pdf").write_bytes(b"%PDF-1.4 demo")
    return tmp_path


@pytest.fixture
def empty_database():
    target = {**connection_parameters(), "dbname": f"{connection.settings_dict['NAME']}_target"}
    database_create_empty(target)
    yield target
    database_drop(target)


def _tables(target):
    with psycopg.connect(**target) as database:
        return database.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]


def test_the_drill_restores_every_row_the_ledger_head_and_the_files(filled):
    out = StringIO()
    call_command("restore_drill", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["ok"] and figures["differences"] == []
    assert figures["tables"] > 50 and figures["rows"] > 1000  # the code lists alone
    assert figures["ledger_head_seq"] == 1 and figures["media_files"] == 1
    assert "与源库完全一致" in out.getvalue()


def test_a_backup_restores_into_an_empty_database(filled, empty_database, tmp_path):
    path = tmp_path / "b.qunce-backup"
    call_command("backup", out=str(path), stdout=StringIO())
    out = StringIO()
    call_command(
        "restore",
        str(path),
        dbname=empty_database["dbname"],
        media_root=str(tmp_path / "restored-media"),
        stdout=out,
    )
    assert "台账链头 #1 与备份一致" in out.getvalue()
    assert (tmp_path / "restored-media" / "evidence" / "2020" / "证明.pdf").exists()


def test_a_truncated_backup_is_refused_and_the_target_untouched(filled, empty_database, tmp_path):
    path = tmp_path / "b.qunce-backup"
    call_command("backup", out=str(path), stdout=StringIO())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="不完整或已被改动"):
        call_command("restore", str(path), dbname=empty_database["dbname"], stdout=StringIO())
    assert _tables(empty_database) == 0


def test_a_backup_made_with_another_key_is_refused(filled, empty_database, tmp_path, settings):
    path = tmp_path / "b.qunce-backup"
    call_command("backup", out=str(path), stdout=StringIO())
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="另一个密钥"):
        call_command("restore", str(path), dbname=empty_database["dbname"], stdout=StringIO())
    assert _tables(empty_database) == 0


def test_a_target_that_holds_tables_or_files_is_refused(filled, empty_database, tmp_path):
    path = tmp_path / "b.qunce-backup"
    call_command("backup", out=str(path), stdout=StringIO())
    with pytest.raises(CommandError, match=r"目标数据库 .* 不是空的"):
        call_command("restore", str(path), media_root=str(tmp_path / "m"), stdout=StringIO())
    # The live uploads (MEDIA_ROOT) are never overwritten.
    with pytest.raises(CommandError, match=r"上传文件目录 .* 不是空的"):
        call_command("restore", str(path), dbname=empty_database["dbname"], stdout=StringIO())
    assert _tables(empty_database) == 0
    (tmp_path / "not-a-backup").write_bytes(b"hello")
    with pytest.raises(CommandError, match="不是群策的备份文件"):
        call_command("restore", str(tmp_path / "not-a-backup"), stdout=StringIO())
