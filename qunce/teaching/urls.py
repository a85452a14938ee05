from django.urls import path

from . import views

app_name = "teaching"
urlpatterns = [
    path("", views.records, name="records"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/verify/", views.verify, name="verify"),
]
