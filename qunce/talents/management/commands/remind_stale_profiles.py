from django.core.management.base import BaseCommand

from qunce.talents.services import profile_reminders_send


class Command(BaseCommand):
    help = (
        "Remind talents whose profile has gone 180 days without unit confirmation, and their unit "
        "admins, once per lapse. Run it daily (cron / systemd timer); repeating it sends nothing twice."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"已提醒 {profile_reminders_send()} 份档案。")
