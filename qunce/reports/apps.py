from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qunce.reports"
    verbose_name = "工作报表"
