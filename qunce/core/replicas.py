"""Reads that may be a few seconds old go to a PostgreSQL read replica when there is one.

Reports, dashboards and their exports are the heavy reads of a province's morning: the views
that make them are marked `reads_from_replica`, and their reads (not their writes, such as the
access log) go to a replica that is streaming from the primary and close behind it. Everything
else reads and writes the primary. Someone who has just written something reads from the
primary for REPLICA_STICKY_SECONDS (never shorter than the lag a replica may have), so they see
their own change; a replica further behind than REPLICA_MAX_LAG_SECONDS, cut off from the
primary, or not answering is left out until it is checked again; and a view whose replica fails
mid-way is answered again from the primary, its writes of the failed attempt undone."""

import contextvars
import functools
import logging
import random
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction

logger = logging.getLogger("qunce.replicas")

REPLICA_PREFIX = "replica_"

# Inside a `reads_from_replica` view: the replicas its reads were sent to so far (a list).
_replica_reads = contextvars.ContextVar("qunce_replica_reads", default=None)
_health = {}  # alias -> (checked at, usable); per process
_checking = threading.Lock()

# In recovery; a WAL receiver streaming from the primary (a cut-off replica has replayed all it
# received, and would look caught up); what it has received and replayed, and how long ago it
# replayed its last transaction. Without pg_read_all_stats the receiver's status reads NULL:
# its presence is what counts then.
HEALTH_QUERY = """
    SELECT pg_is_in_recovery(),
        EXISTS (SELECT 1 FROM pg_stat_wal_receiver
                WHERE status IS NULL OR status = 'streaming'),
        pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text,
        COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
"""
# How long a replica that is replaying has to reach what it had received.
CATCH_UP_SECONDS = 0.2


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def replica_health(alias):
    """(streaming from the primary, seconds of replay lag); (False, None) if not a replica."""
    with connections[alias].cursor() as cursor:
        cursor.execute(HEALTH_QUERY)
        in_recovery, streaming, received, replayed, since_last_replay = cursor.fetchone()
        if not in_recovery:
            return False, None
        if received == replayed:
            return streaming, 0.0
        # The time since the last replayed transaction overstates the lag of a replica whose
        # primary was idle before its latest WAL (a checkpoint, a vacuum, one sign-in): look
        # again a moment later. A replica that has replayed what it had received is current.
        time.sleep(CATCH_UP_SECONDS)
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [received])
        if cursor.fetchone()[0]:
            return streaming, CATCH_UP_SECONDS
    return streaming, float(since_last_replay)


def _usable(alias):
    known = _health.get(alias)
    if known is not None and time.monotonic() - known[0] < settings.REPLICA_CHECK_SECONDS:
        return known[1]
    # One thread asks; the others go on with what was last known (a slow replica must not
    # hold every thread of the process), and never-checked counts as not usable.
    if not _checking.acquire(blocking=False):
        return known is not None and known[1]
    try:
        try:
            streaming, lag = replica_health(alias)
            usable = streaming and lag <= settings.REPLICA_MAX_LAG_SECONDS
            if not usable:
                logger.warning("replica %s left out: streaming %s, lag %s s", alias, streaming, lag)
        except DatabaseError as error:
            logger.warning("replica %s left out: %s", alias, error)
            connections[alias].close()
            usable = False
        _health[alias] = (time.monotonic(), usable)
        return usable
    finally:
        _checking.release()


def _leave_out_for_a_while(aliases):
    for alias in aliases:
        _health[alias] = (time.monotonic(), False)
        connections[alias].close()


class ReplicaRouter:
    """Reads inside a `reads_from_replica` view go to a usable replica; all else to default,
    objects read from a replica included (their related objects are read afresh there)."""

    def db_for_read(self, model, **hints):
        sent_to = _replica_reads.get()
        if sent_to is None:
            return "default"
        usable = [alias for alias in replica_aliases() if _usable(alias)]
        if not usable:
            return "default"
        alias = random.choice(usable)
        sent_to.append(alias)
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        # Every database holds the same rows: a replica's object may point at the primary's.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def _sticky_key(user_id):
    return f"replica-sticky:{user_id}"


def note_write(request, response):
    """After a request that may have written, its user reads from the primary for a while."""
    user = getattr(request, "user", None)
    if (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and user is not None
        and user.is_authenticated
        and response.status_code < 400
    ):
        cache.set(_sticky_key(user.pk), 1, settings.REPLICA_STICKY_SECONDS)


def wrote_recently(request):
    return bool(cache.get(_sticky_key(request.user.pk))) if request.user.is_authenticated else False


class ReadYourWritesMiddleware:
    """Installed only when there are replicas (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        note_write(request, response)
        return response


def reads_from_replica(view):
    """Let the view's reads go to a replica. The view must build its whole answer before it
    returns, so that a replica failing under it can be replaced by the primary: the first
    attempt runs in a transaction on the primary, so its writes (an access log) are undone
    before the second."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not replica_aliases() or wrote_recently(request):
            return view(request, *args, **kwargs)
        sent_to = []
        token = _replica_reads.set(sent_to)
        try:
            with transaction.atomic(using="default"):
                return view(request, *args, **kwargs)
        except DatabaseError as error:
            failed = {alias for alias in sent_to if connections[alias].errors_occurred}
            if not failed:
                raise
            logger.warning("replica read failed, answered from the primary: %s", error)
            _leave_out_for_a_while(failed)
            _replica_reads.set(None)
            return view(request, *args, **kwargs)
        finally:
            _replica_reads.reset(token)

    return wrapper
