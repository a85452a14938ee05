from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "qunce.consents"
    verbose_name = "个人信息授权"
