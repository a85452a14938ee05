from django.core.management.base import BaseCommand

from qunce.assistance.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind the organization department of help requests not triaged within 24 h, not "
        "accepted within 48 h of invitation, or not followed up 7 days after resolution. "
        "Run it hourly; it never sends the same reminder twice."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"已发送 {reminders_send()} 条提醒。")
