"""Rate limits of the public side: the client's address as django-axes reads it
(X-Forwarded-For only behind the configured number of trusted proxies), so that behind nginx
each requester has a budget of their own rather than all sharing the proxy's; and how long a
refused client should wait (the 429's Retry-After)."""

import re
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from ninja.errors import HttpError

# The page and the API of a public form share one budget per address.
PUBLIC_FORM_GROUP = "public-form"
# The links a requester keeps (tracking a help request, a counselling request's status).
PUBLIC_LINK_GROUP = "public-link"
TOKEN_FAILURE_GROUP = "token-failure"
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\d+/(\d*)([smhd])$")


def client_address(group, request):
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def retry_after_seconds(rate):
    """The window of a django-ratelimit rate ("10/h" -> 3600, "5/10m" -> 600)."""
    match = RATE.match(rate)
    if match is None:
        return 60
    return int(match.group(1) or 1) * PERIOD_SECONDS[match.group(2)]


class RateLimited(HttpError):
    """An API 429 that knows how long the client should wait (its Retry-After)."""

    def __init__(self, message, *, rate):
        super().__init__(429, message)
        self.retry_after = retry_after_seconds(rate)


def public_link_limited(request):
    """Count one use of a requester's link from this address; True once over the budget."""
    return is_ratelimited(
        request,
        group=PUBLIC_LINK_GROUP,
        key=client_address,
        rate=settings.PUBLIC_LINK_RATE,
        method=ALL,
        increment=True,
    )


def token_failures_limited(request, *, failed):
    """True while this address has sent more unknown tokens than TOKEN_FAILURE_RATE allows in
    the current window; `failed` counts one more.

    Not django-ratelimit here: this check runs before every token call, the morning's
    check-ins among them, and the library's check costs two cache round trips (an add, then a
    get); a fixed window read with one get does the same job."""
    limit, window = _split_rate(settings.TOKEN_FAILURE_RATE)
    now = int(time.time())
    key = f"token-failures:{client_address(TOKEN_FAILURE_GROUP, request)}:{now - now % window}"
    if not failed:
        return cache.get(key, 0) > limit
    cache.add(key, 0, window + 5)
    return cache.incr(key) > limit


def _split_rate(rate):
    """("20/m" -> (20, 60)), the same notation as django-ratelimit's."""
    return int(rate.partition("/")[0]), retry_after_seconds(rate)
