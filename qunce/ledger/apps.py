from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "qunce.ledger"
    verbose_name = "贡献台账"
