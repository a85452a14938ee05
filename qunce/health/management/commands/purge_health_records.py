from django.core.management.base import BaseCommand

from qunce.health.services import checkins_purge


class Command(BaseCommand):
    help = (
        "Delete check-ins (with earlier versions, receipts and alerts) older than their "
        "campaign's retention period. The read log is kept. Run daily."
    )

    def handle(self, *args, **options):
        counts = checkins_purge()
        if not counts:
            self.stdout.write("没有超过保存期限的健康打卡记录。")
        for campaign, deleted in counts.items():
            self.stdout.write(f"{campaign}：已清除 {deleted} 条超过保存期限的健康打卡记录。")
