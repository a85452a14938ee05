from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "qunce.notices"
    verbose_name = "通知与落实报告"
