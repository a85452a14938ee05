from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "qunce.proposals"
    verbose_name = "建言献策"
