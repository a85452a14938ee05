from django.utils.functional import SimpleLazyObject

from qunce.org.access import access_for

from .selectors import unread_count


def roles(request):
    user = getattr(request, "user", None)
    if user is None:
        # An error page for a request refused before authentication ran (a bad Host header).
        return {}
    # Counted only when a template shows it (fragments and error pages do not).
    return {
        "access": access_for(user),
        "unread_count": SimpleLazyObject(lambda: unread_count(user)),
    }
