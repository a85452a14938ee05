from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def one_button(request, action, *, done="", to, **url_kwargs):
    """A one-button POST (sign, publish, verify…): run the service call; its refusal becomes an
    error message on the page it returns to (`to` and `url_kwargs`, as for redirect)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, done)
    return redirect(to, **url_kwargs)


def local_next(request):
    """The `next` the request carries: "" if none, None if it would leave this site (an open
    redirect is never followed)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


def next_url(request, default):
    """The `next` the request carries if it stays on this site, else the URL named `default`."""
    return local_next(request) or reverse(default)
