from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "qunce.teaching"
    verbose_name = "线上教学"
