from django.core.management.base import BaseCommand

from qunce.counselling.services import counselling_purge


class Command(BaseCommand):
    help = (
        "Delete counselling cases whose campaign ended more than its retention period ago, "
        "keeping monthly counts per category. Run daily."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"已清除 {counselling_purge()} 个过期个案，仅保留统计数字。")
