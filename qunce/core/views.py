import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from .ratelimit import retry_after_seconds
from .selectors import inbox_of
from .services import inbox_mark_read

logger = logging.getLogger("qunce")


@login_required
def inbox(request):
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("message") if value.isdigit()]
        inbox_mark_read(user=request.user, message_ids=ids)
        return redirect("core:inbox")
    page = Paginator(inbox_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


def rate_limited(request, exception):
    """django-ratelimit's answer when an address sends a public form, opens a requester's link
    or tries a campus sign-in too often; the client may try again once the budget's window has
    passed."""
    match = request.resolver_match
    rate_setting = RATE_SETTING_OF_VIEW.get(match.view_name if match else "", "PUBLIC_FORM_RATE")
    rate = getattr(settings, rate_setting)
    response = render(request, "core/rate_limited.html", status=429)
    response["Retry-After"] = str(retry_after_seconds(rate))
    return response


# The setting whose budget a limited view spends (the public forms' otherwise), for Retry-After.
RATE_SETTING_OF_VIEW = {
    "assistance:track": "PUBLIC_LINK_RATE",
    "counselling:status": "PUBLIC_LINK_RATE",
    "accounts:cas_login": "CAMPUS_LOGIN_RATE",
    "accounts:oidc_callback": "CAMPUS_LOGIN_RATE",
}


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
