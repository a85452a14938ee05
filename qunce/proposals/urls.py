from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposals, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("problems/", views.key_problems, name="key_problems"),
    path("problems/<int:pk>/", views.key_problem, name="key_problem"),
    path("problems/<int:pk>/volunteer/", views.volunteer, name="volunteer"),
    path("problems/<int:pk>/close/", views.close, name="close"),
]
