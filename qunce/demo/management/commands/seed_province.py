import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qunce.demo.province import PROVINCE_ADMIN_USERNAME, build_province
from qunce.org.models import Unit


class Command(BaseCommand):
    help = (
        "Build a made-up province (once, into an empty database): universities under a province"
        " root, their people with accounts and API tokens, and 14 days of check-ins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--universities", type=int, default=60)
        parser.add_argument("--people", type=int, default=1_000_000, help="people in all")
        parser.add_argument("--seed", type=int, default=2020, help="random seed and token key")

    def handle(self, *args, universities, people, seed, **options):
        if settings.PRODUCTION:
            # Anyone who knows the seed can compute every token.
            raise CommandError(
                "seed_province 不能在生产环境运行：演示令牌由公开的种子算出。"
                " seed_province refuses to run with QUNCE_ENV=production."
            )
        if Unit.objects.exists():
            raise CommandError(
                "seed_province 只能写入空数据库（已有单位）。"
                " seed_province needs an empty database: there are units already."
            )
        if universities < 1 or people < universities * 20:
            raise CommandError(
                "至少 1 所学校，每所至少 20 人。 At least one university and 20 people in each."
            )
        started = time.monotonic()
        counts = build_province(universities=universities, people=people, seed=seed)
        seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        admins = counts.pop("admins")
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(
            f"各校组织部管理员（单位管理员，密码同演示）: {', '.join(admins[:3])} …"
            f" University admins (demo password): {len(admins)}"
        )
        self.stdout.write(
            f"省级管理员（各校汇总；共享人员信息的高校另可查看其人员）: {PROVINCE_ADMIN_USERNAME}"
            "  Province admin (figures; the people of universities that share them)"
        )
        self.stdout.write(f"seconds: {seconds:.1f}  peak_memory_mb: {peak_mb:.0f}")
