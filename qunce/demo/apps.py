from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo university, on the top floor: its command calls each app's demo.py in order, so
    no app below has to know the others."""

    name = "qunce.demo"
    verbose_name = "演示数据"
