from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_home, name="home"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("rules/", views.rules, name="rules"),
    path("frontline/", views.frontline, name="frontline"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    path("snapshots/<int:pk>/xlsx/", views.snapshot_xlsx, name="snapshot_xlsx"),
    path("commendations/", views.commendations, name="commendations"),
    path("commendations/<int:pk>/decide/", views.commendation_decide, name="commendation_decide"),
]
