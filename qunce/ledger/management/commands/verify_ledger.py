from django.core.management.base import BaseCommand, CommandError

from qunce.ledger.selectors import ledger_first_broken_link


class Command(BaseCommand):
    help = "Walk the ledger's hash chain; name the first entry that does not match (exit 1)."

    def handle(self, *args, **options):
        checked, broken = ledger_first_broken_link()
        if broken:
            raise CommandError(broken)
        self.stdout.write(f"台账完整：{checked} 条记录的哈希链全部吻合。")
