from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "qunce.health"
    verbose_name = "健康打卡"

    def ready(self):
        from . import signals  # noqa: F401 — connects the receivers
