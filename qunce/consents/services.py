"""Writes of consent: agreeing to a notice's current version, withdrawing, and publishing a
new version."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.core.services import audit_record
from qunce.org.access import Action, restrict

from . import selectors
from .models import Consent, ConsentDecision, ConsentNotice, Purpose


def _purpose(purpose):
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("没有这种用途：%(purpose)s。") % {"purpose": purpose}})
    return Purpose(purpose)


def consent_required(*, user: User, purpose: str) -> None:
    """Refuse, naming the consent, when `user` has not agreed to `purpose`'s current notice."""
    if purpose not in selectors.purposes_in_force(user, [purpose]):
        notice = selectors.notice_current(purpose)
        raise ValidationError(
            {
                "consent": _("请先阅读并同意《%(title)s》（第 %(version)s 版）。")
                % {
                    "title": notice.title if notice else Purpose(purpose).label,
                    "version": notice.version if notice else 1,
                }
            }
        )


def notice_read(*, purpose: str, version: int, field: str = "version") -> ConsentNotice:
    """The current notice of `purpose` if `version` is it (the one the person read); an older
    version (the notice changed meanwhile) or one that does not exist is refused at `field`."""
    purpose = _purpose(purpose)
    notice = selectors.notice_current(purpose)
    if notice is None:
        raise ValidationError(
            {field: _("“%(purpose)s”还没有告知书。") % {"purpose": Purpose(purpose).label}}
        )
    if str(version) == str(notice.version):
        return notice
    names = {"title": notice.title, "version": version, "current": notice.version}
    # Versions are numbered 1, 2, … without gaps: any smaller one was in force once.
    if str(version).isdigit() and 1 <= int(version) < notice.version:
        message = _("《%(title)s》已更新为第 %(current)s 版，请阅读新版本后再同意。") % names
    else:
        message = _("《%(title)s》没有第 %(version)s 版，现行的是第 %(current)s 版。") % names
    raise ValidationError({field: message})


@transaction.atomic
def consent_give(
    *, user: User, purpose: str, version: int, via: str = ConsentDecision.Via.PAGE
) -> Consent:
    """Agree to the current version of `purpose`'s notice. `version` is the one the person
    read: an older one (the notice changed meanwhile) or one that does not exist is refused."""
    purpose = _purpose(purpose)
    notice = notice_read(purpose=purpose, version=version)
    for _attempt in range(2):
        consent = Consent.objects.select_for_update().filter(user=user, purpose=purpose).first()
        if (
            consent is not None
            and consent.status == Consent.Status.GIVEN
            and consent.notice_id == notice.pk
        ):
            return consent
        try:
            # A savepoint: the same person agreeing twice at once collides on the first row.
            with transaction.atomic():
                return _decide(user, purpose, consent, Consent.Status.GIVEN, notice, via)
        except IntegrityError:
            continue
    raise ValidationError({"purpose": _("授权正在处理中，请稍后重试。")})


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str, via: str = ConsentDecision.Via.PAGE) -> Consent:
    """Withdraw `purpose`: from now on it collects nothing from this person, until they agree
    again. What was collected before stays under its retention period."""
    purpose = _purpose(purpose)
    consent = Consent.objects.select_for_update().filter(user=user, purpose=purpose).first()
    if consent is None or consent.status != Consent.Status.GIVEN:
        raise ValidationError(
            {
                "purpose": _("您没有同意过“%(purpose)s”，无需撤回。")
                % {"purpose": Purpose(purpose).label}
            }
        )
    return _decide(user, purpose, consent, Consent.Status.WITHDRAWN, consent.notice, via)


def _decide(user, purpose, consent, to_status, notice, via):
    from_status = consent.status if consent is not None else ""
    if to_status not in Consent.TRANSITIONS[from_status]:
        raise ValidationError(
            {
                "purpose": _("不能从“%(from)s”变为“%(to)s”。")
                % {"from": from_status, "to": to_status}
            }
        )
    now = timezone.now()
    if consent is None:
        consent = Consent(user=user, purpose=purpose)
    consent.status, consent.notice, consent.decided_at = to_status, notice, now
    consent.save()
    ConsentDecision.objects.create(
        consent=consent,
        user=user,
        username=user.get_username(),
        purpose=purpose,
        notice=notice,
        from_status=from_status,
        to_status=to_status,
        via=via,
        at=now,
    )
    return consent


@transaction.atomic
def notice_publish(
    *, acting_user: User, purpose: str, title: str, body: str, changes: str = ""
) -> ConsentNotice:
    """A new version of `purpose`'s notice (org admins): everyone is asked again before the
    purpose collects anything more from them."""
    restrict(acting_user, Action.PUBLISH_CONSENT_NOTICES)
    purpose = _purpose(purpose)
    version = (
        ConsentNotice.objects.filter(purpose=purpose).aggregate(Max("version"))["version__max"] or 0
    ) + 1
    notice = ConsentNotice(
        purpose=purpose,
        version=version,
        title=title.strip(),
        body=body.strip(),
        changes=changes.strip(),
        published_by=acting_user,
    )
    notice.full_clean(exclude=["version"])
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError as exc:
        raise ValidationError(_("另一位管理员刚刚发布了新版本，请刷新后再试。")) from exc
    audit_record(
        actor=acting_user,
        action="consent_notice_publish",
        target=notice,
        changes={"version": version},
    )
    return notice
