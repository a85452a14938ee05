from django.contrib import admin
from django.urls import include, path

from qunce import views
from qunce.api import api
from qunce.core import views as core_views
from qunce.ledger import views as ledger_views

urlpatterns = [
    # First: the API (the morning's check-ins among it) and the load balancer's probe are the
    # most requested paths, and Django tries the patterns in order. No other prefix overlaps.
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("", include("qunce.core.urls")),
    path("accounts/", include("qunce.accounts.urls")),
    path("org/", include("qunce.org.urls")),
    path("talents/", include("qunce.talents.urls")),
    path("ledger/", include("qunce.ledger.urls")),
    path("care/", include("qunce.care.urls")),
    path("", include("qunce.assistance.urls")),
    path("counselling/", include("qunce.counselling.urls")),
    path("", include("qunce.supplies.urls")),
    path("health/", include("qunce.health.urls")),
    path("notices/", include("qunce.notices.urls")),
    path("articles/", include("qunce.articles.urls")),
    path("proposals/", include("qunce.proposals.urls")),
    path("teaching/", include("qunce.teaching.urls")),
    path("reports/", include("qunce.reports.urls")),
    path("pledges/", include("qunce.pledges.urls")),
    path("consents/", include("qunce.consents.urls")),
    path("mydata/", include("qunce.rights.urls")),
    path("commendations/", ledger_views.public_commendations, name="public_commendations"),
    path("commendations/<int:pk>/", ledger_views.public_commendation, name="public_commendation"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

handler500 = "qunce.core.views.server_error"
