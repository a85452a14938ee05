from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "qunce.supplies"
    verbose_name = "爱心物资"
