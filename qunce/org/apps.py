from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "qunce.org"
    verbose_name = "组织"
