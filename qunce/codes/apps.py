from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "qunce.codes"
    verbose_name = "国家标准代码"
