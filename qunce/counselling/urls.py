from django.urls import path

from . import views

app_name = "counselling"
urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("s/<str:token>/", views.status, name="status"),
    path("", views.home, name="home"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/close/", views.case_close, name="close"),
]
