import json
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from qunce.codes import selectors as code_selectors
from qunce.consents import selectors as consent_selectors
from qunce.consents.models import Purpose
from qunce.core.forms import add_service_errors
from qunce.core.replicas import reads_from_replica
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign, Person
from qunce.org.selectors import get_person_for_user
from qunce.talents.spreadsheet import XLSX

from . import exports, selectors, services
from .forms import CheckinForm, FollowUpForm, PolicyForm
from .models import CheckinAccess, CheckinPolicy, HealthAlert

NON_REPORTERS_SHOWN = 200
ALERTS_SHOWN = 50


def _service_errors(form, error):
    """The service names the region; the form shows it at the province select."""
    if hasattr(error, "error_dict") and "region" in error.error_dict:
        error.error_dict["province"] = error.error_dict.pop("region")
    add_service_errors(form, error)


@login_required
def home(request):
    person = selectors.person_of(request.user)
    policy = selectors.policy_for(request.GET.get("campaign") or None)
    if person is None or policy is None:
        return render(request, "health/home.html", {"person": person, "policy": policy})
    try:
        withheld = services.checkin_fields_withheld(person)
    except ValidationError:
        return _consent_page(request, person, policy)
    data = request.POST or None
    if data is not None:
        form = CheckinForm(data, policy=policy, withheld=withheld)
        if form.is_valid():
            try:
                submission = services.checkin_submit(
                    person=person,
                    policy=policy,
                    answers=form.answers(),
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                return _checkin_saved(
                    request, policy, submission.checkin, _("今日健康打卡已提交，谢谢。")
                )
    # Read only to draw the page: a saved check-in (the morning's common case) does not need it.
    recent = list(
        selectors.own_checkins(request.user, policy.campaign)
        .select_related("region__parent__parent")
        .order_by("-day")[:1]
    )
    todays = recent[0] if recent and recent[0].day == timezone.localdate() else None
    if data is None:
        form = CheckinForm(
            policy=policy,
            withheld=withheld,
            initial=CheckinForm.initial_from(recent[0] if recent else None),
        )
    provinces = cities = counties = []
    if "province" in form.fields:
        provinces, cities, counties = code_selectors.cascade_options(
            form["province"].value(), form["city"].value()
        )
    return render(
        request,
        "health/home.html",
        {
            **_checkin_status_context(request, policy, todays),
            "provinces": provinces,
            "cities": cities,
            "counties": counties,
            "person": person,
            "form": form,
            "yesterdays": recent[0] if recent and not todays else None,
            "window": services.checkin_window(policy),
            "running": selectors.open_policy_list(),
            "whereabouts_withheld": any(policy.asks(field) for field in withheld),
        },
    )


def _checkin_status_context(request, policy, todays):
    """What the status card, the calendar and the submit button show."""
    today = timezone.localdate()
    days = list(
        selectors.own_checkins(request.user, policy.campaign).values_list("day", flat=True)[:400]
    )
    return {
        "policy": policy,
        "todays": todays,
        "idempotency_key": uuid.uuid4().hex,
        "streak": selectors.streak(days, today),
        "weeks": selectors.calendar_weeks(days, today),
        "reported_days": len(days),
        "open_now": policy.opens_at <= timezone.localtime().time() <= policy.deadline,
    }


def _checkin_saved(request, policy, checkin, saved):
    """After a check-in: the page again (without script), or for htmx only the parts that
    change, so that a phone at the morning peak loads no second page."""
    if not request.htmx:
        messages.success(request, saved)
        return _back_to_checkin(request, policy)
    context = _checkin_status_context(request, policy, checkin)
    response = render(request, "health/_checkin_saved.html", {**context, "saved": saved})
    return trigger_client_event(response, "checkin-saved")


def _back_to_checkin(request, policy):
    """The check-in page, of the campaign the request named if it named one."""
    home_url = reverse("health:home")
    if request.GET.get("campaign") or request.POST.get("campaign"):
        return redirect(f"{home_url}?{urlencode({'campaign': policy.campaign_id})}")
    return redirect(home_url)


def _consent_page(request, person, policy):
    """Before the first check-in (or after a new notice): what will be collected, to agree to.
    Whereabouts is asked beside it when the campaign asks where people are."""
    notices = consent_selectors.notices_current()
    wanted = [Purpose.HEALTH]
    if any(policy.asks(field) for field in services.WHEREABOUTS_FIELDS):
        wanted.append(Purpose.WHEREABOUTS)
    in_force = consent_selectors.purposes_in_force(request.user, wanted)
    return render(
        request,
        "health/consent.html",
        {
            "person": person,
            "policy": policy,
            "asked": [
                (purpose, notices[purpose])
                for purpose in wanted
                if purpose in notices and purpose not in in_force
            ],
        },
    )


@login_required
@require_POST
def same_as_yesterday(request):
    """One tap: yesterday's answers again, with the pledge the button states."""
    person = selectors.person_of(request.user)
    policy = selectors.policy_for(request.POST.get("campaign") or None)
    if person is None or policy is None:
        raise Http404
    previous = (
        selectors.own_checkins(request.user, policy.campaign)
        .filter(day__lt=timezone.localdate())
        .select_related("region")
        .order_by("-day")
        .first()
    )
    if previous is None:
        messages.error(request, _("没有以往的打卡记录，请完整填写一次。"))
        return _back_to_checkin(request, policy)
    answers = {name: getattr(previous, name) for name in services.EMPTY_ANSWERS}
    try:
        withheld = services.checkin_fields_withheld(person)
    except ValidationError:
        return _back_to_checkin(request, policy)
    for field in withheld:
        for name in services.ANSWER_FIELDS[field]:
            answers[name] = services.EMPTY_ANSWERS[name]
    try:
        submission = services.checkin_submit(
            person=person,
            policy=policy,
            answers={**answers, "pledged": True},
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_checkin(request, policy)
    return _checkin_saved(request, policy, submission.checkin, _("已按昨日情况提交今日健康打卡。"))


@login_required
def my_data(request):
    """Everything kept about the signed-in person in this part of Qunce, as one JSON file."""
    person = selectors.person_of(request.user)
    if person is None:
        raise Http404
    checkins = selectors.own_checkins(request.user).prefetch_related("revisions")
    document = {
        "person": {"staff_no": person.staff_no, "name": person.name},
        "exported_at": timezone.now().isoformat(),
        "checkins": [
            {
                **services.checkin_document(checkin),
                "earlier_versions": [
                    {"version": r.version, "submitted_at": r.submitted_at.isoformat(), **r.answers}
                    for r in checkin.revisions.all()
                ],
            }
            for checkin in checkins
        ],
        "alerts": [
            {
                "day": alert.day.isoformat(),
                "reasons": alert.reasons,
                "status": alert.status,
                "opened_at": alert.opened_at.isoformat(),
                "acknowledged_at": alert.acknowledged_at and alert.acknowledged_at.isoformat(),
                "closed_at": alert.closed_at and alert.closed_at.isoformat(),
                "follow_up": alert.follow_up,
            }
            for alert in selectors.own_alerts(request.user)
        ],
        "reads_by_others": [
            {
                "at": read.at.isoformat(),
                "by": read.viewer.get_full_name() or read.viewer.username if read.viewer else "",
                "what": read.get_what_display(),
                "detail": read.detail,
            }
            for read in CheckinAccess.objects.filter(person=person).select_related("viewer")
        ],
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-health-records.json"'
    return response


def _dashboard_context(request, scope_of=selectors.dashboard_unit):
    policy = selectors.policy_for(request.GET.get("campaign") or None)
    if policy is None:
        raise Http404
    scope = scope_of(request.user, request.GET.get("unit"))
    try:
        day = parse_date(request.GET.get("day") or "") or timezone.localdate()
    except ValueError:  # a well-formed but impossible date, such as 2024-02-30
        day = timezone.localdate()
    if day > timezone.localdate():
        day = timezone.localdate()
    return policy, scope, day


@login_required
@reads_from_replica
def dashboard(request):
    restrict(request.user, Action.READ_PEOPLE)
    if selectors.policy_for(request.GET.get("campaign") or None) is None:
        return render(request, "health/home.html", {"person": True, "policy": None})
    context = _board_context(request, selectors.dashboard_unit, selectors.dashboard_units_for)
    if request.htmx:
        return render(request, "health/_dashboard_figures.html", context)
    policy, board = context["policy"], context["board"]
    scope, day = board.scope, board.day
    missing = selectors.scope_non_reporters_first(
        policy=policy, scope=scope, day=day, limit=NON_REPORTERS_SHOWN
    )
    alerts = selectors.scope_open_alerts(policy=policy, scope=scope, limit=ALERTS_SHOWN)
    services.checkin_reads_log(
        viewer=request.user,
        people=[alert.person_id for alert in alerts],
        what=CheckinAccess.What.ALERT,
        detail=_("预警列表：%(unit)s") % {"unit": scope.name},
    )
    # Who has not reported today, with their phone, is a read of each of them.
    services.checkin_reads_log(
        viewer=request.user,
        people=[person.pk for person in missing],
        what=CheckinAccess.What.NON_REPORTERS,
        detail=_("未报名单：%(unit)s %(day)s") % {"unit": scope.name, "day": day.isoformat()},
    )
    context.update({"missing": missing, "missing_shown": NON_REPORTERS_SHOWN, "alerts": alerts})
    return render(request, "health/dashboard.html", context)


@login_required
@reads_from_replica
def province(request):
    """A province's universities side by side: counts and rates only. Who has not reported and
    who has a fever are each university's to see: only a university that shares its people's
    records with the province admin has its row lead to its own dashboard."""
    context = _board_context(request, selectors.province_unit, selectors.province_units_for)
    context["province"] = True
    template = "health/_dashboard_figures.html" if request.htmx else "health/province.html"
    return render(request, template, context)


def _board_context(request, scope_of, units_for):
    """What a dashboard and the province overview both show: the figures of the chosen unit's
    children on the chosen day, the trend, and the units and campaigns to switch to."""
    policy, scope, day = _dashboard_context(request, scope_of=scope_of)
    board = selectors.dashboard(policy=policy, scope=scope, day=day)
    return {
        "policy": policy,
        "board": board,
        "trend_json": board.trend,
        "units": units_for(request.user),
        "running": selectors.open_policy_list(),
    }


@login_required
@reads_from_replica
def dashboard_export(request):
    restrict(request.user, Action.READ_PEOPLE)
    policy, scope, day = _dashboard_context(request)
    people = (
        selectors.expected_people_visible_to(request.user, scope)
        .select_related("unit")
        .order_by("unit__path", "staff_no")
    )
    handle, reported_ids = exports.day_workbook(
        people=people,
        campaign=policy.campaign,
        day=day,
        title=_("%(unit)s 健康打卡 %(day)s（%(campaign)s）")
        % {"unit": scope.name, "day": day, "campaign": policy.campaign.name},
    )
    services.checkin_reads_log(
        viewer=request.user,
        people=reported_ids,
        what=CheckinAccess.What.EXPORT,
        detail=_("导出 %(unit)s %(day)s") % {"unit": scope.name, "day": day},
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"健康打卡-{scope.name}-{day:%Y%m%d}.xlsx",
        content_type=XLSX,
    )


@login_required
def alerts(request):
    visible = selectors.alerts_visible_to(request.user).select_related("person", "unit")
    status = request.GET.get("status", "")
    if status in HealthAlert.Status.values:
        visible = visible.filter(status=status)
    shown = list(visible[:200])
    services.checkin_reads_log(
        viewer=request.user,
        people=[alert.person_id for alert in shown],
        what=CheckinAccess.What.ALERT,
        detail=_("预警列表"),
    )
    return render(
        request,
        "health/alerts.html",
        {"alerts": shown, "status": status, "statuses": HealthAlert.Status.choices},
    )


@login_required
def alert_detail(request, pk):
    alert = selectors.get_alert_for_user(request.user, pk)
    can_follow_up = selectors.may_follow_up(request.user, alert)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if not can_follow_up:
            raise PermissionDenied
        to_state = request.POST.get("to_state")
        if to_state == HealthAlert.Status.CLOSED:
            form.fields["note"].required = False
        if form.is_valid():
            try:
                services.alert_advance(
                    alert=alert,
                    to_state=to_state,
                    acting_user=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("health:alert_detail", pk=alert.pk)
    services.checkin_reads_log(
        viewer=request.user,
        people=[alert.person_id],
        what=CheckinAccess.What.ALERT,
        detail=_("预警 #%(pk)s") % {"pk": alert.pk},
    )
    return render(
        request,
        "health/alert_detail.html",
        {
            "alert": alert,
            "checkin": alert.checkin,
            "form": form,
            "can_follow_up": can_follow_up,
            "events": alert.events(),
        },
    )


@login_required
def person_history(request, person_id):
    try:
        person = get_person_for_user(request.user, person_id)
    except Http404:
        _log_refused_history(request.user, person_id)
        raise
    if not access_for(request.user).reads_path(person.unit.path) and (
        access_for(request.user).person_id != person.pk
    ):
        _log_refused_history(request.user, person_id)
        raise Http404
    checkins = list(
        selectors.checkins_visible_to(request.user)
        .filter(person=person)
        .select_related("region", "campaign")
        .order_by("-day")[:60]
    )
    services.checkin_reads_log(
        viewer=request.user,
        people=[person.pk],
        what=CheckinAccess.What.HISTORY,
        detail=_("最近 %(count)s 条") % {"count": len(checkins)},
    )
    return render(request, "health/person_history.html", {"person": person, "checkins": checkins})


def _log_refused_history(viewer, person_id):
    """An attempt to open someone's check-ins is logged like a read, when that someone exists."""
    if 0 < person_id < 2**63 and Person.objects.filter(pk=person_id).exists():
        services.checkin_reads_log(
            viewer=viewer, people=[person_id], what=CheckinAccess.What.REFUSED
        )


@login_required
def policy_settings(request, campaign_id):
    restrict(request.user, Action.SET_CHECKIN_POLICY)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    policy = CheckinPolicy.objects.filter(campaign=campaign).first() or CheckinPolicy(
        campaign=campaign
    )
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_from(policy))
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_policy_save(
                policy=policy, acting_user=request.user, values=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("健康打卡设置已保存。"))
            return redirect("health:policy", campaign_id=campaign.pk)
    return render(request, "health/policy.html", {"campaign": campaign, "form": form})
