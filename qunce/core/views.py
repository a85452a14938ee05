import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.org.access import access_for
from qunce.org.selectors import units_administered_by

from . import robots as robot_services
from .forms import RobotForm, add_service_errors
from .models import Delivery
from .ratelimit import retry_after_seconds
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


@login_required
def robots(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    units = units_administered_by(request.user).order_by("path")
    form = RobotForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            robot = robot_services.robot_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加“%s”，可点“发送测试消息”确认能送达。") % robot.name)
            return redirect("core:robots")
    return render(
        request,
        "core/robots.html",
        {"form": form, "robots": robot_services.robots_with_last_delivery(request.user)},
    )


@login_required
@require_POST
def robot_action(request, pk):
    robot = get_object_or_404(robot_services.robots_visible_to(request.user), pk=pk)
    action = request.POST.get("action")
    if action == "test":
        delivery = robot_services.robot_test(acting_user=request.user, robot=robot)
        delivery.refresh_from_db()  # a worker may already have sent it
        if delivery.outcome == Delivery.Outcome.SENT:
            messages.success(request, _("测试消息已送达“%s”。") % robot.name)
        elif delivery.error:  # failed, or waiting for its next attempt
            messages.error(
                request,
                _(
                    "测试消息未能送达“%(name)s”：服务器连不上机器人地址，或平台拒收"
                    "（地址、密钥有误或机器人已被移出群）。技术信息：%(error)s"
                )
                % {"name": robot.name, "error": delivery.error},
            )
        else:
            messages.info(
                request,
                _("测试消息已交给后台发送，稍后刷新本页，在“最近一次发送”中查看结果。"),
            )
    elif action in ("on", "off"):
        robot_services.robot_set_active(
            acting_user=request.user, robot=robot, active=action == "on"
        )
        messages.success(
            request, _("已启用。") if action == "on" else _("已停用，不再向该群发送提醒。")
        )
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("core:robots")
