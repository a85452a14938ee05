from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qunce.talents import importing


class Command(BaseCommand):
    help = "Import a talent list (.xlsx, the import template's columns) for the whole university."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        with open(file, "rb") as handle, transaction.atomic():
            parsed, existing = importing.parse_and_classify(handle, acting_user=None)
            for message in parsed.file_errors:
                self.stderr.write(message)
            for row in parsed.rows:
                for column, message in row.errors:
                    self.stderr.write(f"第 {row.number} 行 “{column}”列：{message}")
            counts = parsed.counts()
            self.stdout.write(
                f"新增 {counts['new']}，更新 {counts['changed']}，无变化 {counts['unchanged']}，"
                f"错误 {counts['error']}"
            )
            if parsed.has_errors:
                raise CommandError("文件中有错误，未写入任何数据。")
            if dry_run:
                self.stdout.write("试运行（--dry-run）：未写入任何数据。")
                return
            importing.apply_rows(parsed, existing, acting_user=None)
            self.stdout.write("导入完成。")
