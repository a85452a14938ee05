from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from .selectors import home_figures, inbox_of
from .services import inbox_mark_read


@login_required
def home(request):
    return render(request, "core/home.html", {"figures": home_figures(request.user)})


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
