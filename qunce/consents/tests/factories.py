import importlib

from django.apps import apps

from qunce.consents import services
from qunce.consents.models import ConsentNotice, Purpose
from qunce.consents.selectors import notice_current

FIRST_NOTICES = importlib.import_module("qunce.consents.migrations.0002_first_notices")


def first_notices():
    """The notices the migration publishes; transactional tests empty every table, these too."""
    if not ConsentNotice.objects.exists():
        FIRST_NOTICES.publish(apps, None)


def consents_given(user, purposes=(Purpose.HEALTH, Purpose.WHEREABOUTS)):
    """`user` has agreed to the current notice of each purpose."""
    first_notices()
    for purpose in purposes:
        services.consent_give(user=user, purpose=purpose, version=notice_current(purpose).version)
    return user
