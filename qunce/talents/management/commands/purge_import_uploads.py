from django.core.management.base import BaseCommand

from qunce.talents.importing import stale_previews_discard


class Command(BaseCommand):
    help = (
        "Discard import previews nobody confirmed within --days (default 3) and delete their "
        "uploaded files, which hold phone numbers and e-mail addresses. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days, **options):
        count = stale_previews_discard(days=days)
        self.stdout.write(f"已放弃 {count} 个过期的导入预览并删除其文件。")
