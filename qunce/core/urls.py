from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("robots/", views.robots, name="robots"),
    path("robots/<int:pk>/", views.robot_action, name="robot_action"),
]
