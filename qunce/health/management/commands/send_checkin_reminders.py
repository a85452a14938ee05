from django.core.management.base import BaseCommand

from qunce.health.services import checkin_reminders_send


class Command(BaseCommand):
    help = (
        "Remind today's non-reporters at each campaign's reminder times and, after the deadline, "
        "send unit admins their lists of non-reporters. Run every 5 minutes: nothing is sent twice."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"已发送 {checkin_reminders_send()} 条健康打卡提醒。")
