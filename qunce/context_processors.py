from django.utils.functional import SimpleLazyObject

from qunce.core.menu import menu_for
from qunce.core.selectors import unread_count
from qunce.org.access import Permissions, access_for
from qunce.org.selectors import roles_switched_off


def roles(request):
    user = getattr(request, "user", None)
    if user is None:
        # An error page for a request refused before authentication ran (a bad Host header).
        return {}
    access = access_for(user)
    # Counted and built only when a template shows them (fragments and error pages do not).
    return {
        "access": access,
        "may": Permissions(access),
        "unread_count": SimpleLazyObject(lambda: unread_count(user)),
        "menu": SimpleLazyObject(
            lambda: (
                menu_for(access, request.path, roles_switched_off())
                if access.is_authenticated
                else None
            )
        ),
    }
