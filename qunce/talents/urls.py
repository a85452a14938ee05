from django.urls import path

from . import views

app_name = "talents"
urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("me/", views.profile_edit_own, name="profile_edit"),
    path("<int:pk>/edit/", views.profile_edit, name="profile_edit_for"),
    path("<int:pk>/confirm/", views.profile_confirm, name="profile_confirm"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("export.xlsx", views.export, name="export"),
]
