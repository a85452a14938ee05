"""PostgreSQL servers of a test's or a benchmark's own, made with Debian's server binaries
(initdb, pg_basebackup, pg_ctl) in a folder and on a port of their own: a primary, and a real
streaming replica of it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg


def _newest_server_binaries():
    found = Path("/usr/lib/postgresql").glob("*/bin/initdb")
    versions = sorted((int(re.sub(r"\D", "", path.parts[-3]) or 0), path.parent) for path in found)
    return versions[-1][1] if versions else None


PG_BIN = _newest_server_binaries()


def as_postgres(*command):
    """PostgreSQL's server refuses to run as root: its commands run as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    finished = subprocess.run([*prefix, *command], capture_output=True, text=True)
    if finished.returncode:
        raise RuntimeError(f"{command[0]} failed: {finished.stderr[-1500:]}")


def folder_for_postgres(path):
    """A folder the postgres user may write in (made if missing)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres")
    return path


class Server:
    def __init__(self, folder, port, database):
        self.folder, self.port, self.database = Path(folder), port, database

    @property
    def running(self):
        return (self.folder / "postmaster.pid").exists()

    def start(self):
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.folder),
            "-l",
            f"{self.folder}.log",
            "-w",
            "start",
        )

    def stop(self, mode="immediate"):
        if self.running:
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder), "-m", mode, "stop")

    def postmaster_pid(self):
        return int((self.folder / "postmaster.pid").read_text().split()[0])

    def url(self, database=None):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database or self.database}"

    def query(self, sql, database="postgres", params=None):
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchone() if cursor.description else None

    def scans(self, tables=None):
        """Scans of Qunce's tables (of `tables` and their partitions only, if given) on this
        server, by its own count (pg_stat_database would count the catalog reads of every new
        connection)."""
        return self.query(
            "SELECT COALESCE(sum(seq_scan + COALESCE(idx_scan, 0)), 0) FROM pg_stat_user_tables "
            "WHERE %(all)s OR relname = ANY(%(tables)s) OR relid IN (SELECT inhrelid "
            "FROM pg_inherits WHERE inhparent::regclass::text = ANY(%(tables)s))",
            database=self.database,
            params={"all": tables is None, "tables": list(tables or [])},
        )[0]


def primary_make(folder, port, database, *, durable=True):
    """initdb a primary that streams its WAL to replicas, and start it. `durable=False` turns
    fsync off: for tests, never for a figure of write speed."""
    server = Server(folder, port, database)
    as_postgres(
        str(PG_BIN / "initdb"), "-D", str(server.folder), "-A", "trust", "-U", "postgres",
        "--no-sync",
    )  # fmt: skip
    with (server.folder / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '127.0.0.1'\nport = {port}\n"
            f"unix_socket_directories = '{server.folder.parent}'\nwal_level = replica\n"
            f"max_wal_senders = 4\n{'' if durable else 'fsync = off'}\n"
        )
    with (server.folder / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    server.start()
    server.query(f'CREATE DATABASE "{database}"')
    return server


def replica_make(primary, folder, port):
    """A streaming replica of `primary` (pg_basebackup of it, then its own postgres), started."""
    replica = Server(folder, port, primary.database)
    as_postgres(
        str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U",
        "postgres", "-D", str(replica.folder), "-R", "-X", "stream", "--checkpoint=fast",
    )  # fmt: skip
    conf = replica.folder / "postgresql.conf"
    conf.write_text(conf.read_text().replace(f"port = {primary.port}", f"port = {port}"))
    replica.start()
    return replica
