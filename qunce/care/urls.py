from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.needs, name="needs"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/take/", views.take, name="take"),
]
