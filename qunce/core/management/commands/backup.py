from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qunce.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write an encrypted backup of the database (pg_dump, custom format) and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="the file to write (default: qunce-YYYYMMDD-HHMM.qunce-backup here)"
        )

    def handle(self, *args, out, **options):
        out = out or f"qunce-{timezone.localtime():%Y%m%d-%H%M}.qunce-backup"
        try:
            manifest = backup_create(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {out}：{len(manifest['tables'])} 张表 {rows} 行，"
            f"{manifest['media']['files']} 个上传文件，台账链头 #{manifest['ledger_head']['seq']}。"
        )
