from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from qunce.accounts.demo import build_demo_api_token
from qunce.articles.demo import build_demo_articles
from qunce.assistance.demo import build_demo_help_requests
from qunce.care.demo import build_demo_family_needs
from qunce.counselling.demo import build_demo_counselling
from qunce.health.demo import build_demo_checkins
from qunce.ledger.demo import build_demo_commendations, build_demo_ledger
from qunce.notices.demo import build_demo_notices
from qunce.org import demo
from qunce.pledges.demo import build_demo_pledges
from qunce.proposals.demo import build_demo_proposals
from qunce.rights.demo import build_demo_rights_requests
from qunce.supplies.demo import build_demo_supplies
from qunce.talents.demo import build_demo_profiles
from qunce.teaching.demo import build_demo_teaching


class Command(BaseCommand):
    help = "Build the demo university (once): units, about 2,000 made-up people, demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2000, help="about how many people")
        parser.add_argument(
            "--seed", type=int, default=2020, help="random seed, for repeatable data"
        )
        parser.add_argument(
            "--show-mail",
            action="store_true",
            help="print the e-mails the demo's workflows send (otherwise only counted)",
        )

    def handle(self, *args, people, seed, show_mail, **options):
        if settings.PRODUCTION:
            # The demo's org admin has a published password: never in a real installation.
            raise CommandError(
                "seed_demo 不能在生产环境运行：演示账号的密码是公开的。"
                " seed_demo refuses to run with QUNCE_ENV=production."
            )
        if demo.demo_exists():
            self.stdout.write("演示数据已存在，跳过。 The demo university is already there.")
            self._print_logins()
            return
        # The demo's workflows notify as they would in use; dozens of raw e-mails on the
        # console would bury the logins, so they are kept in memory and counted.
        backend = (
            settings.EMAIL_BACKEND if show_mail else "django.core.mail.backends.locmem.EmailBackend"
        )
        # Its notifications are sent as it commits, in this process, rather than left for the
        # demo's worker to print all at once.
        immediately = {
            "default": {
                "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "QUEUES": settings.TASK_QUEUES,
            }
        }
        with override_settings(EMAIL_BACKEND=backend, TASKS=immediately):
            mail.outbox = []
            with transaction.atomic():
                counts = demo.build_demo_university(people=people, seed=seed)
                counts |= build_demo_profiles(seed=seed)
                counts |= build_demo_ledger(seed=seed)
                counts |= build_demo_commendations(seed=seed)
                counts |= build_demo_family_needs()
                counts |= build_demo_help_requests(seed=seed)
                counts |= build_demo_counselling()
                counts |= build_demo_supplies()
                counts |= build_demo_checkins(seed=seed)
                counts |= build_demo_notices(seed=seed)
                counts |= build_demo_articles()
                counts |= build_demo_proposals()
                counts |= build_demo_teaching(seed=seed)
                counts |= build_demo_pledges(seed=seed)
                counts |= build_demo_rights_requests()
                counts |= demo.build_demo_campaign_plan()
                counts |= build_demo_api_token()
                counts |= demo.build_demo_group_robots()
            sent = len(mail.outbox)
        self.stdout.write(
            f"演示大学已建立：{counts['campaigns']} 个专项行动，{counts['units']} 个单位，{counts['people']} 人，"
            f"{counts['accounts']} 个账号，{counts['profiles']} 份人才档案，"
            f"{counts['reminded']} 份待确认档案已发提醒；台账 {counts['verified']} 条已核实，"
            f"{counts['submitted']} 条待审核，{counts['rejected']} 条已退回；"
            f"{counts['commendations']} 项表彰，{counts['family_needs']} 项家庭需求，"
            f"{counts['help_requests']} 项技术服务需求，"
            f"{counts['counselling_cases']} 个心理咨询个案，{counts['supply_needs']} 项物资需求；"
            f"近 14 天健康打卡 {counts['checkins']} 条，{counts['health_alerts']} 条健康预警；"
            f"通知 {counts['notices']} 件，{counts['notice_units']} 个单位中 "
            f"{counts['notice_reports']} 个已报告落实情况；宣传文章 {counts['articles']} 篇；"
            f"建言 {counts['proposals']} 条，重点问题 {counts['key_problems']} 个；"
            f"线上教学记录 {counts['teaching_records']} 条；党员承诺签署 "
            f"{counts['pledge_signatures']} 人，先锋事迹 {counts['vanguard_acts']} 件。"
        )
        if not show_mail:
            self.stdout.write(
                f"演示流程产生了 {sent} 封通知邮件，未发送（加 --show-mail 可在终端查看）。"
            )
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for username, role in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<11} {role}")
