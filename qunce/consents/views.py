from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import next_url
from qunce.core.forms import add_service_errors
from qunce.org.access import Action, restrict

from . import selectors, services
from .forms import AgreeForm, NoticeForm
from .models import Purpose


def _next_or_mine(request):
    return redirect(next_url(request, "consents:mine"))


@login_required
def mine(request):
    """我的授权: each purpose, what the person agreed to (which version, when), and every
    decision they made."""
    return render(
        request,
        "consents/mine.html",
        {
            "standing": selectors.standing_of(request.user),
            "decisions": selectors.decisions_of(request.user)[:200],
        },
    )


@login_required
@require_POST
def agree(request):
    form = AgreeForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["purposes"]:
        messages.error(request, _("请勾选要同意的告知书。"))
        return _next_or_mine(request)
    try:
        with transaction.atomic():
            for purpose, version in form.chosen():
                services.consent_give(user=request.user, purpose=purpose, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consents:mine")
    messages.success(request, _("已记录您的同意。"))
    return _next_or_mine(request)


@login_required
@require_POST
def withdraw(request, purpose):
    try:
        services.consent_withdraw(user=request.user, purpose=purpose)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("已撤回“%(purpose)s”授权：从现在起不再收集这类信息。")
            % {"purpose": Purpose(purpose).label},
        )
    return redirect("consents:mine")


@login_required
def notices(request):
    """The notices in all their versions, and how many people stand where (org admins)."""
    restrict(request.user, Action.PUBLISH_CONSENT_NOTICES)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已发布《%(title)s》第 %(version)s 版，相关人员下次使用时将被要求重新同意。")
                % {"title": notice.title, "version": notice.version},
            )
            return redirect("consents:notices")
    counts = selectors.consent_counts()
    current = selectors.notices_current()
    return render(
        request,
        "consents/notices.html",
        {
            "form": form,
            "notices": selectors.notices_all(),
            "current_ids": {notice.pk for notice in current.values()},
            "summary": [_summary(purpose, current.get(purpose), counts) for purpose in Purpose],
        },
    )


def _summary(purpose, notice, counts):
    """(purpose, current notice, agreed to it, agreed to an older version, withdrawn)."""
    current_id = notice.pk if notice else None
    agreed = older = withdrawn = 0
    for (counted_purpose, status, notice_id), count in counts.items():
        if counted_purpose != purpose:
            continue
        if status == "withdrawn":
            withdrawn += count
        elif notice_id == current_id:
            agreed += count
        else:
            older += count
    return purpose, notice, agreed, older, withdrawn
