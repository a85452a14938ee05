from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "qunce.assistance"
    verbose_name = "技术服务"
