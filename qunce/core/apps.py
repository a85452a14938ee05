from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qunce.core"
    verbose_name = "核心"

    def ready(self):
        from .workbench import discover

        discover()
