from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qunce.core.backup import BackupError, compare, connection_parameters, restore_into


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into an empty PostgreSQL database and a media folder, then "
        "compare row counts and the ledger head with the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup")
        parser.add_argument(
            "--dbname", help="the empty database to restore into (default: this one's)"
        )
        parser.add_argument(
            "--media-root", help="where the uploaded files go (default: MEDIA_ROOT)"
        )

    def handle(self, *args, backup, dbname, media_root, **options):
        target = connection_parameters() | ({"dbname": dbname} if dbname else {})
        media_root = media_root or settings.MEDIA_ROOT
        try:
            manifest = restore_into(backup, target, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        result = compare(manifest, target, media_root)
        if result["differences"]:
            raise CommandError("恢复后与备份不符：" + "；".join(result["differences"]))
        self.stdout.write(
            f"已恢复到 {target['dbname']}：{result['tables']} 张表 {result['rows']} 行，"
            f"台账链头 #{result['ledger_head']['seq']} 与备份一致。"
        )
