from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notices, name="list"),
    path("new/", views.draft, name="draft"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/units/<int:unit_id>/receive/", views.receive, name="receive"),
    path("<int:pk>/units/<int:unit_id>/report/", views.report, name="report"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
