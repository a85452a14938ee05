from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import home_figures


@login_required
def home(request):
    return render(request, "core/home.html", {"figures": home_figures(request.user)})
