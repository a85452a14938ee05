from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "qunce.articles"
    verbose_name = "宣传文章"
