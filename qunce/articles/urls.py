from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.write, name="write"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
]
