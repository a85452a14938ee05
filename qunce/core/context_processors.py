from django.utils.functional import SimpleLazyObject

from qunce.org.access import access_for

from .selectors import unread_count


def roles(request):
    user = request.user
    # Counted only when a template shows it (fragments and error pages do not).
    return {
        "access": access_for(user),
        "unread_count": SimpleLazyObject(lambda: unread_count(user)),
    }
