from django.core.management.base import BaseCommand, CommandError

from qunce.ledger.selectors import ledger_verified


class Command(BaseCommand):
    help = (
        "Walk the ledger's hash chain and compare it with the last exported head; name the "
        "first entry that does not match (exit 1)."
    )

    def handle(self, *args, **options):
        checked, broken = ledger_verified()
        if broken:
            raise CommandError(broken)
        self.stdout.write(f"台账完整：{checked} 条记录的哈希链全部吻合。")
