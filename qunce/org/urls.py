from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:unit_id>/sharing/", views.university_sharing, name="university_sharing"),
    path("robots/", views.robots, name="robots"),
    path("robots/<int:pk>/", views.robot_action, name="robot_action"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/move/", views.campaign_move, name="campaign_move"),
]
