from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("help/", views.request_form, name="request_form"),
    path("help/regions/", views.region_options, name="region_options"),
    path("help/t/<str:token>/", views.track, name="track"),
    path("assistance/", views.request_list, name="list"),
    path("assistance/report/", views.report, name="report"),
    path("assistance/<int:pk>/", views.request_detail, name="detail"),
    path("assistance/<int:pk>/act/", views.request_act, name="act"),
]
