from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "qunce.health"
    verbose_name = "健康打卡"
