"""The ledger's periodic check, run by the scheduler (settings.PERIODIC_TASKS)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from qunce.core.notify import notify_users
from qunce.org.selectors import org_admins

from .selectors import ledger_first_broken_link


@task()
def verify_ledger() -> dict:
    """Walk the hash chain; a broken link reaches the org admins (once a day) at once."""
    checked, broken = ledger_first_broken_link()
    if broken:
        notify_users(
            dedupe_key=f"ledger-broken:{timezone.localdate()}",
            recipients=org_admins(),
            subject=_("贡献台账校验未通过"),
            body=broken,
            link="/ledger/",
        )
    return {"checked": checked, "broken": broken}
