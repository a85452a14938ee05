from django.core.management.base import BaseCommand

from qunce.care.services import stall_reminders_send


class Command(BaseCommand):
    help = "Remind the responsible person (or the unit admins) of family needs stalled 3 days, once per stall."

    def handle(self, *args, **options):
        self.stdout.write(f"已提醒 {stall_reminders_send()} 项停滞的家庭需求。")
