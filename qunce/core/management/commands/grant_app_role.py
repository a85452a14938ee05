from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

# The tables the application only ever appends to: its audit trail, read logs and ledger. The
# application's role may insert and read them, never change or remove a row, so not even a
# compromised web process can erase a trace (the ledger's trigger guards it once more).
APPEND_ONLY_MODELS = [
    "core.AuditEvent",
    "health.CheckinAccess",
    "org.PersonRead",
    "counselling.CaseAccess",
    "ledger.LedgerEntry",
    "consents.ConsentDecision",
]


def append_only_tables():
    return [apps.get_model(label)._meta.db_table for label in APPEND_ONLY_MODELS]


class Command(BaseCommand):
    help = (
        "Give the application's PostgreSQL role what it needs and no more: read and write every "
        "table, only read and append the audit, read-log and ledger tables, own nothing. Run as "
        "the owner after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web processes and workers connect as")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role 只用于 PostgreSQL。 PostgreSQL only.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(
                    f"没有数据库角色 {role}，请先创建：CREATE ROLE {role} LOGIN PASSWORD '…';"
                    f" No role {role}: create it first."
                )
            cursor.execute("SELECT current_user")
            if cursor.fetchone()[0] == role:
                raise CommandError(
                    "请以表的所有者身份运行（DATABASE_URL 设为所有者）。 Run it as the owner."
                )
        name = sql.Identifier(role)
        tables = sql.SQL(", ").join(sql.Identifier(table) for table in append_only_tables())
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), name
            ),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(tables, name),
            # It reads which migrations ran; only the owner runs them.
            sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM {}").format(
                name
            ),
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.as_string(connection.connection))
        self.stdout.write(
            f"{role}: 可读写全部表；{', '.join(append_only_tables())} 只能读取和追加。"
            f" {role} may read and write every table, and only read and append these."
        )
