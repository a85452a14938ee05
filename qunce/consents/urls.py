from django.urls import path

from . import views

app_name = "consents"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("agree/", views.agree, name="agree"),
    path("<str:purpose>/withdraw/", views.withdraw, name="withdraw"),
    path("notices/", views.notices, name="notices"),
]
