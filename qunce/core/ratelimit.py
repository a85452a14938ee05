"""Rate-limit keys: the client's address as django-axes reads it (X-Forwarded-For only behind
the configured number of trusted proxies), so that behind nginx each requester has a budget of
their own rather than all sharing the proxy's."""

from axes.helpers import get_client_ip_address

# The page and the API of a public form share one budget per address.
PUBLIC_FORM_GROUP = "public-form"


def client_address(group, request):
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
