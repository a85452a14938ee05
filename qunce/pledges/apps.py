from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "qunce.pledges"
    verbose_name = "党员承诺"
