from django.contrib import admin
from django.urls import include, path

from qunce.api import api

urlpatterns = [
    path("", include("qunce.core.urls")),
    path("accounts/", include("qunce.accounts.urls")),
    path("org/", include("qunce.org.urls")),
    path("talents/", include("qunce.talents.urls")),
    path("ledger/", include("qunce.ledger.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
