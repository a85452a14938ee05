from django.urls import path

from . import views

app_name = "pledges"
urlpatterns = [
    path("", views.templates, name="templates"),
    path("<int:pk>/", views.template, name="template"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("acts/", views.acts, name="acts"),
    path("acts/<int:pk>/review/", views.review, name="review"),
]
