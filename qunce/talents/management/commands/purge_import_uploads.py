from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from qunce.talents.importing import talent_import_discard
from qunce.talents.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Discard import previews nobody confirmed within --days (default 3) and delete their "
        "uploaded files, which hold phone numbers and e-mail addresses. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        stale = ImportBatch.objects.filter(
            status=ImportBatch.Status.PREVIEWED, created_at__lt=cutoff
        )
        count = 0
        for batch in stale:
            talent_import_discard(batch=batch, acting_user=None)
            count += 1
        self.stdout.write(f"已放弃 {count} 个过期的导入预览并删除其文件。")
