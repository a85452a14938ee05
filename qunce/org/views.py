from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import next_url, one_button
from qunce.core.forms import add_service_errors
from qunce.core.models import Delivery

from . import robots as robot_services
from . import selectors, services
from .access import Action, restrict
from .forms import CampaignCreateForm, CampaignForm, RobotForm


@login_required
def unit_tree(request):
    restrict(request.user, Action.MANAGE_UNITS)
    units = selectors.unit_tree_with_counts(request.user)
    top_depth = min((unit.depth for unit in units), default=1)
    for unit in units:
        unit.indent = unit.depth - top_depth
    return render(
        request,
        "org/unit_tree.html",
        {"units": units, "sharing_universities": selectors.sharing_universities_for(request.user)},
    )


@login_required
@require_POST
def university_sharing(request, unit_id):
    """A university's 组织部 turns one of its sharings with the province on or off."""
    university = selectors.get_unit_for_user(request.user, unit_id, action="change")
    sharing = services.SHARINGS.get(request.POST.get("sharing"))
    if sharing is None:
        raise Http404
    shares = request.POST.get("shares") == "1"
    return one_button(
        request,
        lambda: services.university_sharing_set(
            university=university,
            acting_user=request.user,
            sharing=request.POST["sharing"],
            shares=shares,
        ),
        done=(sharing.turned_on if shares else sharing.turned_off) % {"name": university.name},
        to=next_url(request, "org:unit_tree"),
    )


@login_required
def campaigns(request):
    restrict(request.user, Action.MANAGE_CAMPAIGNS)
    rows = selectors.campaign_list()
    return render(request, "org/campaigns.html", {"campaigns": rows})


@login_required
def campaign_new(request):
    restrict(request.user, Action.MANAGE_CAMPAIGNS)
    source_id = request.GET.get("copy_from", "")
    source = (
        selectors.campaigns_visible_to(request.user).filter(pk=source_id).first()
        if source_id.isdigit() and len(source_id) < 10
        else None
    )
    form = CampaignCreateForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已创建专项行动“%s”，开启后才接受打卡与求助。") % campaign)
            return redirect("org:campaign", pk=campaign.pk)
    return render(request, "org/campaign_form.html", {"form": form, "source": source})


@login_required
def campaign(request, pk):
    restrict(request.user, Action.MANAGE_CAMPAIGNS)
    record = selectors.get_campaign_for_user(request.user, pk)
    form = CampaignForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                acting_user=request.user, campaign=record, changes=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("org:campaign", pk=record.pk)
    record.refresh_from_db()
    return render(
        request,
        "org/campaign.html",
        {
            "campaign": record,
            "form": form,
            "moves": selectors.campaign_moves(record),
            "events": selectors.campaign_events(record),
        },
    )


@login_required
@require_POST
def campaign_move(request, pk):
    restrict(request.user, Action.MANAGE_CAMPAIGNS)
    record = selectors.get_campaign_for_user(request.user, pk)
    try:
        services.campaign_move(
            acting_user=request.user, campaign=record, to_status=request.POST.get("to", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        record.refresh_from_db()
        messages.success(
            request,
            _("“%(name)s”现为%(status)s。")
            % {"name": record, "status": record.get_status_display()},
        )
    return redirect("org:campaign", pk=record.pk)


@login_required
def robots(request):
    restrict(request.user, Action.MANAGE_ROBOTS)
    units = selectors.units_administered_by(request.user).order_by("path")
    form = RobotForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            robot = robot_services.robot_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加“%s”，可点“发送测试消息”确认能送达。") % robot.name)
            return redirect("org:robots")
    return render(
        request,
        "org/robots.html",
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
    return redirect("org:robots")
