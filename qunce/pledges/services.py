"""Writes of pledges and vanguard acts; a verified act enters the member's 先锋员 service in
the ledger."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.review import Review, review_decide
from qunce.core.services import audit_record
from qunce.ledger import services as ledger_services
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign, Person

from .models import PARTY_MEMBERS, PledgeTemplate, Signature, VanguardAct

MAX_HOURS = Decimal("24")


def pledge_template_publish(
    *, acting_user: User, campaign: Campaign, title: str, items: str
) -> PledgeTemplate:
    restrict(acting_user, Action.PUBLISH_PLEDGES)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写承诺书名称。")
    if not [line for line in (items or "").splitlines() if line.strip()]:
        errors["items"] = _("请至少写一条承诺事项。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        template = PledgeTemplate.objects.create(
            campaign=campaign, title=title.strip(), items=items.strip(), created_by=acting_user
        )
        audit_record(actor=acting_user, action="pledge.publish", target=template)
    return template


def pledge_sign(*, template: PledgeTemplate, acting_user: User) -> Signature:
    """A party member signs a pledge, once."""
    person = getattr(acting_user, "person", None)
    if person is None or person.political_status not in PARTY_MEMBERS:
        raise ValidationError(_("承诺书由中共党员（含预备党员）签署。"))
    if not template.active:
        raise ValidationError(_("这份承诺书已停止签署。"))
    try:
        with transaction.atomic():
            signature = Signature.objects.create(template=template, person=person, unit=person.unit)
            audit_record(actor=acting_user, action="pledge.sign", target=signature)
            return signature
    except IntegrityError as exc:
        raise ValidationError(_("您已签署过这份承诺书。")) from exc


def vanguard_act_record(
    *,
    acting_user: User,
    person: Person,
    campaign: Campaign,
    done_on: datetime.date,
    description: str,
    hours: Decimal | int = 0,
) -> VanguardAct:
    access = access_for(acting_user)
    if not (access.person_id == person.pk or access.administers_unit(person.unit)):
        raise ValidationError({"person": _("只能登记本人或本单位党员的先锋事迹。")})
    errors = {}
    if person.political_status not in PARTY_MEMBERS:
        errors["person"] = _("先锋事迹登记的是中共党员（含预备党员）。")
    if not (description or "").strip():
        errors["description"] = _("请写明先锋事迹。")
    today = timezone.localdate()
    if done_on is None or done_on > today:
        errors["done_on"] = _("日期不能晚于今天。")
    elif done_on < campaign.starts_on or (campaign.ends_on and done_on > campaign.ends_on):
        errors["done_on"] = _("日期须在专项行动期间。")
    try:
        hours = Decimal(str(hours or 0))
    except InvalidOperation:
        hours = Decimal(-1)
    if not Decimal(0) <= hours <= MAX_HOURS:
        errors["hours"] = _("时长须在 0 到 24 小时之间。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        act = VanguardAct.objects.create(
            person=person,
            unit=person.unit,
            campaign=campaign,
            done_on=done_on,
            description=description.strip(),
            hours=hours,
            recorded_by=acting_user,
        )
        audit_record(actor=acting_user, action="vanguard.record", target=act)
    return act


VANGUARD_ACT_REVIEW = Review(
    own_message=gettext_lazy("不能核实自己的或自己登记的先锋事迹。"),
    subject_field="person",
    filer_field="recorded_by",
    reviewer_field="verified_by",
    reason_field="reason",
    reason_required=frozenset({VanguardAct.Status.REJECTED}),
    reason_message=gettext_lazy("请写明未通过的理由。"),
)


@transaction.atomic
def vanguard_act_review(
    *, act: VanguardAct, acting_user: User, verify: bool, reason: str = ""
) -> VanguardAct:
    access = access_for(acting_user)
    if not access.administers_unit(act.unit):
        raise PermissionDenied
    act = VanguardAct.objects.select_for_update().select_related("person").get(pk=act.pk)
    review_decide(
        review=VANGUARD_ACT_REVIEW,
        record=act,
        to_state=VanguardAct.Status.VERIFIED if verify else VanguardAct.Status.REJECTED,
        acting_user=acting_user,
        acting_person_id=access.person_id,
        reason=reason,
    )
    if verify:
        ledger_services.ledger_record(
            person=act.person,
            role="vanguard",
            campaign=act.campaign,
            date_from=act.done_on,
            date_to=act.done_on,
            summary=act.description[:200],
            hours=act.hours,
            source=act,
            acting_user=acting_user,
        )
    return act
