import json
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qunce.core.backup import (
    BackupError,
    backup_create,
    compare,
    connection_parameters,
    database_create_empty,
    database_drop,
    restore_into,
)


class Command(BaseCommand):
    help = (
        "The restore drill: back up this database and MEDIA_ROOT, restore into a fresh database "
        "and folder, compare every table's rows and the ledger head, drop the copy, and print the "
        "figures (the last line is one JSON object)."
    )

    def handle(self, *args, **options):
        source = connection_parameters()
        drill = {**source, "dbname": f"{source['dbname']}_drill"}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "drill.qunce-backup"
            started = time.perf_counter()
            try:
                manifest = backup_create(path)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            backed_up = time.perf_counter()
            database_create_empty(drill)
            try:
                restore_into(path, drill, media_root=Path(folder) / "media")
                restored = time.perf_counter()
                result = compare(manifest, drill, Path(folder) / "media")
            finally:
                database_drop(drill)
            figures = {
                "ok": not result["differences"],
                "tables": result["tables"],
                "rows": result["rows"],
                "ledger_head_seq": result["ledger_head"]["seq"],
                "media_files": result["media"]["files"],
                "backup_mb": round(path.stat().st_size / 2**20, 2),
                "backup_s": round(backed_up - started, 2),
                "restore_s": round(restored - backed_up, 2),
                "total_s": round(time.perf_counter() - started, 2),
                "differences": result["differences"],
            }
        self.stdout.write(
            f"恢复演练：{figures['tables']} 张表 {figures['rows']} 行、{figures['media_files']} 个上传文件、"
            f"台账链头 #{figures['ledger_head_seq']}，"
            + (
                "与源库完全一致"
                if figures["ok"]
                else "与源库不符：" + "；".join(result["differences"])
            )
            + f"；备份 {figures['backup_s']} 秒（{figures['backup_mb']} MB），恢复 {figures['restore_s']} 秒。"
        )
        self.stdout.write(json.dumps(figures, ensure_ascii=False))
        if not figures["ok"]:
            raise CommandError("恢复演练未通过。 The restore drill failed.")
