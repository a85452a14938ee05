from django.core.management.base import BaseCommand

from qunce.notices.services import reports_remind


class Command(BaseCommand):
    help = (
        "Remind the admins of units that have not reported on a notice, from two days before "
        "its deadline on. Run daily: at most one reminder a unit a day."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"已提醒 {reports_remind()} 位单位管理员报告通知落实情况。")
