from django.core.management.base import BaseCommand, CommandError

from qunce.accounts import services
from qunce.accounts.models import User


class Command(BaseCommand):
    help = "Remove an account's authenticator and recovery codes (a lost phone); it sets up anew at its next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}。 No account named {username}.")
        removed = services.two_factor_reset(user=user)
        self.stdout.write(
            f"{username}: 已移除 {removed} 项两步验证设置。 Removed {removed} device rows."
        )
