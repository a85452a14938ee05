from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "qunce.care"
    verbose_name = "后顾之忧"
