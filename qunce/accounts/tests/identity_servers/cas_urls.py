from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("up", lambda request: HttpResponse("up")),
    path("cas/", include(("cas_server.urls", "cas_server"), namespace="cas_server")),
]
