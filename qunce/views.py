"""The site's own pages: every role's home, drawn from the apps below."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from qunce.core.workbench import items_for
from qunce.org.access import access_for
from qunce.org.selectors import home_figures


@login_required
def home(request):
    """Every role's home: the workbench of what needs this person now, then the figures."""
    return render(
        request,
        "home.html",
        {
            "workbench": items_for(request.user, access_for(request.user)),
            "figures": home_figures(request.user),
        },
    )
