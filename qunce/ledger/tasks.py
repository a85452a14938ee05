"""The ledger's periodic check, run by the scheduler (settings.PERIODIC_TASKS)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from qunce.core.notify import notify_users
from qunce.org.selectors import org_admins

from .selectors import ledger_verified
from .services import chain_head_export


@task()
def export_ledger_head() -> str:
    """The chain's head to a signed file outside the database and the org admins' inbox."""
    return str(chain_head_export())


@task()
def verify_ledger() -> dict:
    """Walk the hash chain and compare it with the last exported head; a broken link or a
    disagreement reaches the org admins (once a day) at once."""
    checked, broken = ledger_verified()
    if broken:
        notify_users(
            dedupe_key=f"ledger-broken:{timezone.localdate()}",
            recipients=org_admins(),
            subject=_("贡献台账校验未通过"),
            body=broken,
            link="/ledger/",
        )
    return {"checked": checked, "broken": broken}
