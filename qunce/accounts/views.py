from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qunce.core.forms import add_service_errors
from qunce.org.access import access_for

from . import services
from .forms import ApiTokenForm, LoginForm
from .models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def _require_org_admin(user):
    if not access_for(user).is_org_admin:
        raise PermissionDenied


@login_required
@never_cache  # the page shows a new token once
def api_tokens(request):
    _require_org_admin(request.user)
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.api_token_create(
                user=form.cleaned_data["username"] or request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                lifetime_days=form.cleaned_data["lifetime_days"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            created = (token, raw)
            form = ApiTokenForm()
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "created": created}
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    _require_org_admin(request.user)
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.api_token_revoke(token=token, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已吊销令牌“%s”，使用它的系统将无法再访问。") % token.name)
    return redirect("accounts:api_tokens")
