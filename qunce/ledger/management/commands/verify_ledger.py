from django.core.management.base import BaseCommand, CommandError

from qunce.ledger import chain
from qunce.ledger.models import ChainHead, LedgerEntry


class Command(BaseCommand):
    help = "Walk the ledger's hash chain; name the first entry that does not match (exit 1)."

    def handle(self, *args, **options):
        rows = (
            LedgerEntry.objects.order_by("seq")
            .values(*chain.HASHED_FIELDS, "content_hash")
            .iterator(chunk_size=10_000)
        )
        head = ChainHead.objects.get_or_create(pk=1)[0]
        broken = chain.first_broken_link(rows, head_seq=head.last_seq, head_hash=head.last_hash)
        if broken is not None:
            seq, reason = broken
            what = {
                "content_hash": "内容与其哈希不符",
                "previous_hash": "与前一条记录的哈希链断开",
                "missing": "缺失（已被删除）",
            }[reason]
            raise CommandError(f"台账第 #{seq} 条记录{what}：自此条起的记录可能被改动过。")
        self.stdout.write(f"台账完整：{LedgerEntry.objects.count()} 条记录的哈希链全部吻合。")
