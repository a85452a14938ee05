import signal
import threading
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from qunce.core.scheduler import periodic_runs_enqueue, scheduled_runs_forget

KEEP_RUN_RECORDS = timedelta(days=30)


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (settings.PERIODIC_TASKS) as they come due, for the task "
        "workers to run. Runs until stopped; --once enqueues what is due now and exits (for a "
        "crontab line instead of a long-running process)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between ticks")

    def handle(self, *args, once, interval, verbosity, **options):
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
        signal.signal(signal.SIGINT, lambda signum, frame: stopped.set())
        while not stopped.is_set():
            for job in periodic_runs_enqueue():
                # The every-minute jobs would fill the log: only `-v 2` names each one.
                if once or verbosity > 1:
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 已排队：{job}")
            if once:
                break
            scheduled_runs_forget(before=timezone.now() - KEEP_RUN_RECORDS)
            stopped.wait(interval)
            close_old_connections()  # a database restarted meanwhile is reconnected
