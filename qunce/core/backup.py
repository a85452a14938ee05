"""Encrypted backups of the database and the uploaded files, their restore, and the drill that
proves a backup restores (MLPS level 3: data survives a disaster, and someone has seen it).

A backup is one file: a header naming the format and the key's fingerprint, then a Fernet
token (AES-128 and an HMAC, so a changed or truncated file is refused before anything is
restored) of a tar holding the PostgreSQL custom-format dump, a tar of MEDIA_ROOT and a
manifest: when, the exact row count of every table and the ledger's head, all read in the same
snapshot the dump was taken in."""

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import sql

MAGIC = b"QUNCE-BACKUP 1\n"


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason in Chinese and English."""


def _backup_key():
    if settings.BACKUP_KEY:
        return settings.BACKUP_KEY.encode()
    if settings.PRODUCTION:
        raise BackupError("请配置 BACKUP_KEY（Fernet 密钥）。 Set BACKUP_KEY in production.")
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"backup:{settings.SECRET_KEY}".encode()).digest()
    )


def backup_fernet():
    try:
        return Fernet(_backup_key())
    except ValueError as exc:
        raise BackupError("BACKUP_KEY 不是 Fernet 密钥。 BACKUP_KEY is not a Fernet key.") from exc


def _key_fingerprint():
    """Which key a backup was made with, without revealing it."""
    return hashlib.sha256(b"qunce-backup:" + _backup_key()).hexdigest()[:16].encode()


def _binary(name):
    """pg_dump or pg_restore: from PG_BIN_DIR, else the PATH, else the newest Debian server's."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not installed:
        raise BackupError(
            f"找不到 {name}，请安装 postgresql-client 或设置 PG_BIN_DIR。 {name} not found."
        )
    return str(installed[-1])


def connection_parameters(settings_dict=None):
    """libpq keyword parameters of a Django database's settings."""
    database = settings_dict or connection.settings_dict
    parameters = {
        "dbname": database["NAME"],
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    return {key: value for key, value in parameters.items() if value}


def _environment(parameters):
    names = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
    }
    return {**os.environ, **{names[key]: value for key, value in parameters.items()}}


def database_drop(parameters):
    """Drop the database `parameters` name, if it is there (on the same server)."""
    with psycopg.connect(**{**parameters, "dbname": "postgres"}, autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parameters["dbname"])
            )
        )


def database_create_empty(parameters):
    """A fresh, empty database under the name `parameters` gives (an older one is dropped)."""
    database_drop(parameters)
    with psycopg.connect(**{**parameters, "dbname": "postgres"}, autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parameters["dbname"])))


def table_counts(cursor):
    """{table: exact rows} of every table in the public schema."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def ledger_head(cursor):
    cursor.execute("SELECT seq, content_hash FROM ledger_ledgerentry ORDER BY seq DESC LIMIT 1")
    row = cursor.fetchone()
    return {"seq": row[0], "content_hash": row[1]} if row else {"seq": 0, "content_hash": ""}


def _media_tar(media_root):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        if Path(media_root).is_dir():
            archive.add(media_root, arcname="media")
    return buffer.getvalue()


def media_summary(root):
    files = (
        [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).is_dir() else []
    )
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


def backup_create(out_path, *, media_root=None):
    """Write an encrypted backup of the current database and MEDIA_ROOT to `out_path`; returns
    the manifest."""
    if connection.vendor != "postgresql":
        raise BackupError("备份只用于 PostgreSQL。 Backups are PostgreSQL's.")
    media_root = media_root or settings.MEDIA_ROOT
    parameters = connection_parameters()
    with psycopg.connect(**parameters, autocommit=False) as source:
        source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = source.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with source.cursor() as cursor:
            counts = table_counts(cursor)
            head = ledger_head(cursor)
        dumped = subprocess.run(
            [_binary("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--no-owner"],
            env=_environment(parameters),
            capture_output=True,
            check=False,
        )
        source.rollback()
    if dumped.returncode != 0:
        raise BackupError(f"pg_dump 失败： {dumped.stderr.decode(errors='replace')[-500:]}")
    manifest = {
        "format": 1,
        "created_at": timezone.localtime().isoformat(),
        "database": parameters["dbname"],
        "tables": counts,
        "ledger_head": head,
        "media": media_summary(media_root),
        "dump_sha256": hashlib.sha256(dumped.stdout).hexdigest(),
    }
    bundle = io.BytesIO()
    with tarfile.open(fileobj=bundle, mode="w") as archive:
        for name, data in (
            ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode()),
            ("database.dump", dumped.stdout),
            ("media.tar", _media_tar(media_root)),
        ):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            member.mtime = int(time.time())
            archive.addfile(member, io.BytesIO(data))
    fernet = backup_fernet()
    token = fernet.encrypt(bundle.getvalue())
    out_path = Path(out_path)
    with tempfile.NamedTemporaryFile(dir=out_path.parent or ".", delete=False) as handle:
        handle.write(MAGIC + _key_fingerprint() + b"\n" + token)
    os.replace(handle.name, out_path)
    return manifest


def backup_open(path):
    """(manifest, dump bytes, media tar bytes) of a backup file; refuses a file that is not a
    backup, was made with another key, or is incomplete, before anything is restored."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    if not data.startswith(MAGIC):
        raise BackupError("这不是群策的备份文件。 Not a Qunce backup.")
    fingerprint, _, token = data[len(MAGIC) :].partition(b"\n")
    fernet = backup_fernet()
    if fingerprint != _key_fingerprint():
        raise BackupError(
            "备份文件是用另一个密钥加密的，请配置当时的 BACKUP_KEY。 Encrypted with another key."
        )
    try:
        bundle = fernet.decrypt(token)
    except InvalidToken as exc:
        raise BackupError(
            "备份文件不完整或已被改动（校验失败），未做任何恢复。 The backup is truncated or changed."
        ) from exc
    with tarfile.open(fileobj=io.BytesIO(bundle)) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        dump = archive.extractfile("database.dump").read()
        media = archive.extractfile("media.tar").read()
    if hashlib.sha256(dump).hexdigest() != manifest["dump_sha256"]:
        raise BackupError("数据库转储与清单不符。 The dump does not match its manifest.")
    return manifest, dump, media


def restore_into(path, target, *, media_root):
    """Restore a backup into the empty database `target` (libpq parameters) and `media_root`.
    Everything is checked first; a database that already holds tables is refused untouched."""
    manifest, dump, media = backup_open(path)
    media_root = Path(media_root)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"上传文件目录 {media_root} 不是空的，未做任何恢复；请指定一个空目录（--media-root）。"
            " The media folder is not empty."
        )
    with psycopg.connect(**target, autocommit=True) as check:
        tables = check.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
        may_create = check.execute(
            "SELECT has_schema_privilege(current_user, 'public', 'CREATE')"
        ).fetchone()[0]
    if not may_create:
        raise BackupError(
            "当前数据库角色不能建表：请以所有者身份恢复，再运行 grant_app_role。"
            " Restore as the owner, then run grant_app_role."
        )
    if tables:
        raise BackupError(
            f"目标数据库 {target['dbname']} 不是空的（{tables} 张表），未做任何恢复。 The target is not empty."
        )
    restored = subprocess.run(
        [
            _binary("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target['dbname']}",
        ],
        input=dump,
        env=_environment(target),
        capture_output=True,
        check=False,
    )
    if restored.returncode != 0:
        raise BackupError(f"pg_restore 失败： {restored.stderr.decode(errors='replace')[-500:]}")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent) as staging:
        with tarfile.open(fileobj=io.BytesIO(media)) as archive:
            archive.extractall(staging, filter="data")
        extracted = Path(staging) / "media"
        if not extracted.is_dir():
            extracted.mkdir()
        if media_root.exists():
            media_root.rmdir()  # empty, as checked above
        os.replace(extracted, media_root)
    return manifest


def compare(manifest, target, media_root):
    """What differs between a backup's manifest and a restored database and media folder."""
    with psycopg.connect(**target) as restored, restored.cursor() as cursor:
        counts = table_counts(cursor)
        head = ledger_head(cursor)
    differences = [
        f"{table}: {manifest['tables'].get(table)} → {counts.get(table)}"
        for table in sorted(set(manifest["tables"]) | set(counts))
        if manifest["tables"].get(table) != counts.get(table)
    ]
    if head != manifest["ledger_head"]:
        differences.append(f"ledger head: {manifest['ledger_head']} → {head}")
    media = media_summary(media_root)
    if media != manifest["media"]:
        differences.append(f"media: {manifest['media']} → {media}")
    return {
        "tables": len(counts),
        "rows": sum(counts.values()),
        "ledger_head": head,
        "media": media,
        "differences": differences,
    }
