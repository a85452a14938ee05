from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "qunce.talents"
    verbose_name = "人才库"
