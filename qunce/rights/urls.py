from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("export.json", views.export_json, name="export_json"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.handle, name="handle"),
    path("audit/", views.audit_log, name="audit_log"),
]
