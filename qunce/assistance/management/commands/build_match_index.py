"""Rebuild the expert-matching index from the whole registry and store it for every process:
after a deployment, nightly, and after a large import (new words count from the next build)."""

import time

from django.core.management.base import BaseCommand

from qunce.assistance.matching import build_index
from qunce.assistance.services import match_index_store


class Command(BaseCommand):
    help = "重建专家匹配索引（全部人才档案），供所有进程加载。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        index, as_of = build_index()
        snapshot = match_index_store(index=index, profiles_as_of=as_of)
        self.stdout.write(
            f"专家匹配索引：{snapshot.profiles} 份档案，学习样本 {snapshot.training_queries} 条，"
            f"用时 {time.perf_counter() - started:.1f} 秒。"
        )
