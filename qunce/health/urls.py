from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("", views.home, name="home"),
    path("same/", views.same_as_yesterday, name="same_as_yesterday"),
    path("mine/export/", views.my_data, name="my_data"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("province/", views.province, name="province"),
    path("dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("people/<int:person_id>/", views.person_history, name="person_history"),
    path("settings/<int:campaign_id>/", views.policy_settings, name="policy"),
]
