import logging
import sys

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from qunce.org.access import access_for

from .selectors import home_figures, inbox_of
from .services import inbox_mark_read
from .workbench import items_for

logger = logging.getLogger("qunce")


@login_required
def home(request):
    """Every role's home: the workbench of what needs this person now, then the figures."""
    return render(
        request,
        "core/home.html",
        {
            "workbench": items_for(request.user, access_for(request.user)),
            "figures": home_figures(request.user),
        },
    )


@login_required
def inbox(request):
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("message") if value.isdigit()]
        inbox_mark_read(user=request.user, message_ids=ids)
        return redirect("core:inbox")
    page = Paginator(inbox_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


def rate_limited(request, exception):
    """django-ratelimit's answer when an address sends a public form too often."""
    return render(request, "core/rate_limited.html", status=429)


def healthz(request):
    """For load balancers and uptime checks: the web process answers. Touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


DATABASE_RETRY_SECONDS = 5


def server_error(request):
    """Django's last resort. A database that is restarting or unreachable is not a bug: the
    client gets 503 with Retry-After and can send the same request again."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.warning("database unavailable: %s", error)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": "数据库暂时不可用，请稍后重试。"},
                status=503,
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            response = HttpResponse(
                loader.render_to_string("503.html"), status=503, content_type="text/html"
            )
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal server error"}, status=500)
    return HttpResponseServerError(loader.render_to_string("500.html"), content_type="text/html")
