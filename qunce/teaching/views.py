from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import one_button
from qunce.core.forms import add_service_errors
from qunce.org.access import Action, access_for, restrict
from qunce.org.selectors import people_recorded_by

from . import selectors, services
from .forms import TeachingForm


@login_required
def records(request):
    access = access_for(request.user)
    teachers = people_recorded_by(request.user).select_related("unit")
    form = TeachingForm(
        request.POST or None, teachers=teachers, initial={"person": access.person_id}
    )
    if request.method == "POST":
        if not teachers.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.teaching_record(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已登记，单位核实后记入贡献台账。"))
                return redirect("teaching:records")
    visible = selectors.records_visible_to(request.user).select_related("person", "unit")
    return render(
        request,
        "teaching/records.html",
        {
            "form": form,
            "records": visible[:200],
            "can_record": teachers.exists(),
        },
    )


@login_required
@require_POST
def verify(request, pk):
    record = selectors.get_record_for_user(request.user, pk)
    return one_button(
        request,
        lambda: services.teaching_verify(record=record, acting_user=request.user),
        to="teaching:records",
    )


@login_required
def coverage(request):
    restrict(request.user, Action.READ_UNIT_REPORTS)
    today = timezone.localdate()
    return render(
        request,
        "teaching/coverage.html",
        {
            "coverage": selectors.coverage(selectors.records_visible_to(request.user), today),
            "gap": selectors.CONTACT_GAP_DAYS,
        },
    )
