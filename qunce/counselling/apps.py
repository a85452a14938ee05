from django.apps import AppConfig


class CounsellingConfig(AppConfig):
    name = "qunce.counselling"
    verbose_name = "心理疏导"
