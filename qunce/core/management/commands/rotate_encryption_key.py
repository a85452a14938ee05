"""Re-encrypt every encrypted field with the first key of COUNSELLING_KEY.

Put the new key in front (COUNSELLING_KEY=new,old), restart, run this, then drop the old key.
Rows no configured key opens are left as they are and counted."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from qunce.core.crypto import EncryptedTextField, rotate

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt counselling content and robot secrets with the newest key."

    def handle(self, *args, **options):
        quote = connection.ops.quote_name
        total = unreadable = 0
        for model in apps.get_models():
            columns = [f.column for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            table, pk = model._meta.db_table, model._meta.pk.column
            for column in columns:
                done, missed = self._rotate_column(quote(table), quote(pk), quote(column))
                total += done
                unreadable += missed
        self.stdout.write(
            f"已用新密钥重新加密 {total} 个字段值；{unreadable} 个无法解密，保持原样。"
        )

    @staticmethod
    def _rotate_column(table, pk, column):
        done = missed = 0
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {column} <> ''" + (f" AND {pk} > %s" if last is not None else "")
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} {where} ORDER BY {pk} LIMIT {BATCH}",
                    [last] if last is not None else [],
                )
                rows = cursor.fetchall()
                for row_id, token in rows:
                    rotated = rotate(token)
                    if rotated == token:
                        missed += 1
                        continue
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotated, row_id]
                    )
                    done += 1
            if len(rows) < BATCH:
                return done, missed
            last = rows[-1][0]
