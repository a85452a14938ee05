from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qunce.core.forms import add_service_errors
from qunce.core.ratelimit import PUBLIC_FORM_GROUP, client_address
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, access_for, may, restrict

from . import selectors, services
from .forms import DispatchForm, NeedForm, PledgeForm, ProgressForm, ReceiptForm, SupplierForm


@login_required
def needs(request):
    units = org_selectors.units_administered_by(request.user).order_by("path")
    form = (
        NeedForm(request.POST or None, units=units)
        if may(request.user, Action.POST_SUPPLY_NEEDS)
        else None
    )
    if request.method == "POST":
        restrict(request.user, Action.POST_SUPPLY_NEEDS)
        if form.is_valid():
            try:
                need = services.need_post(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("supplies:need", pk=need.pk)
    listed = selectors.with_totals(
        selectors.needs_visible_to(request.user).select_related("receiving_unit")
    )
    return render(request, "supplies/needs.html", {"form": form, "needs": listed[:200]})


@login_required
def need_detail(request, pk):
    need = selectors.get_need_for_user(request.user, pk)
    manages = selectors.manages(request.user, need)
    forms = {
        "pledge": PledgeForm(prefix="pledge"),
        "receipt": ReceiptForm(prefix="receipt", need=need),
        "dispatch": DispatchForm(prefix="dispatch"),
        "progress": ProgressForm(prefix="progress"),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        try:
            _act(request, need, action, manages, forms)
        except ValidationError as error:
            form = forms.get(action)
            if form is not None and form.is_bound:
                add_service_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            if not any(form.errors for form in forms.values() if form.is_bound):
                return redirect("supplies:need", pk=need.pk)
    helpers = need.procurement.select_related("helper__unit")
    own_help = helpers.filter(helper_id=access_for(request.user).person_id).first()
    return render(
        request,
        "supplies/need.html",
        {
            "need": need,
            "manages": manages,
            "forms": forms,
            "figures": selectors.totals(need),
            "pledges": need.pledges.all() if manages else [],
            "movements": need.movements.all(),
            "helpers": helpers,
            "own_help": own_help,
        },
    )


def _act(request, need, action, manages, forms):
    user = request.user
    if action in ("pledge", "receipt", "dispatch", "confirm_help") and not manages:
        raise PermissionDenied
    if action == "take_help":
        services.procurement_take(need=need, acting_user=user)
        return
    if action == "confirm_help":
        help_id = request.POST.get("help", "")
        help_ = need.procurement.filter(pk=help_id).first() if help_id.isdigit() else None
        if help_ is None:
            raise ValidationError({"text": _("没有这项采购协助。")})
        services.procurement_confirm(help_=help_, acting_user=user)
        return
    form_class = {"pledge": PledgeForm, "dispatch": DispatchForm, "progress": ProgressForm}.get(
        action
    )
    form = (
        ReceiptForm(request.POST, prefix="receipt", need=need)
        if action == "receipt"
        else (form_class(request.POST, prefix=action) if form_class else None)
    )
    if form is None:
        raise ValidationError({"pledge": _("未知的操作。")})
    forms[action] = form
    if not form.is_valid():
        return
    data = form.cleaned_data
    if action == "pledge":
        services.pledge_record(need=need, **data)
    elif action == "receipt":
        services.receipt_record(acting_user=user, **data)
    elif action == "dispatch":
        services.dispatch_record(need=need, acting_user=user, **data)
    else:
        help_ = need.procurement.filter(helper_id=access_for(user).person_id).first()
        if help_ is None:
            raise ValidationError({"text": _("请先承担这项采购。")})
        services.procurement_report(help_=help_, acting_user=user, **data)


@ratelimit(
    group=PUBLIC_FORM_GROUP,
    key=client_address,
    rate=lambda group, request: settings.PUBLIC_FORM_RATE,
    method="POST",
    block=True,
)
def public_pledge(request, pk):
    """Donors outside the university pledge without an account."""
    need = selectors.open_needs().filter(pk=pk).first()
    if need is None:
        return render(
            request, "supplies/public_needs.html", {"needs": selectors.open_needs()}, status=404
        )
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A signed-in member of staff pledging is an inside donor: their gift reaches the ledger.
        donor = getattr(request.user, "person", None) if request.user.is_authenticated else None
        try:
            services.pledge_record(need=need, donor_person=donor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "supplies/pledged.html", {"need": need})
    return render(request, "supplies/public_pledge.html", {"need": need, "form": form})


def public_needs(request):
    return render(request, "supplies/public_needs.html", {"needs": selectors.open_needs()})


def thanks(request):
    return render(request, "supplies/thanks.html", {"rows": selectors.public_thanks()})


@login_required
def certificate(request, pk):
    movement = selectors.get_receipt_for_user(request.user, pk)
    return render(
        request, "supplies/certificate.html", {"movement": movement, "need": movement.need}
    )


@login_required
def suppliers(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_add(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("谢谢，供应渠道已登记，待管理员核实。"))
            return redirect("supplies:suppliers")
    listed = selectors.suppliers_visible_to(request.user).select_related(
        "contributed_by", "verified_by"
    )
    return render(
        request,
        "supplies/suppliers.html",
        {"form": form, "suppliers": listed},
    )


@login_required
@require_POST
def supplier_verify(request, pk):
    supplier = selectors.suppliers_visible_to(request.user).filter(pk=pk).first()
    if supplier is None:
        raise PermissionDenied
    try:
        services.supplier_verify(supplier=supplier, acting_user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("supplies:suppliers")
