from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "qunce.rights"
    verbose_name = "个人信息权利"
