"""Writes of the organization: keyword-only, atomic, validated, audited."""

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.contrib.auth.base_user import AbstractBaseUser as User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.core.services import AnyUser, audit_record, model_changes, transition

from .access import Action, access_for, restrict
from .models import Campaign, Person, PersonRead, ServiceRole, Unit


class UnitChanges(TypedDict, total=False):
    """What an admin may change of a unit (any of it, for an update)."""

    name: str
    short_name: str
    code: str
    kind: str


class PersonDetails(TypedDict, total=False):
    """A person's record as an admin writes it (all of it to create, any of it to update)."""

    staff_no: str
    name: str
    gender: str
    unit: Unit
    title_level: str
    title: str
    post: str
    political_status: str
    mobile: str
    wechat_id: str
    qq: str
    email: str


UNIT_EDITABLE_FIELDS = tuple(UnitChanges.__annotations__)
PERSON_EDITABLE_FIELDS = tuple(PersonDetails.__annotations__)


def _require_admin_of(user, unit):
    if not access_for(user).administers_unit(unit):
        raise PermissionDenied(_("您无权管理该单位。"))


@dataclass(frozen=True)
class Sharing:
    """Something a university of a province may share, and the words that go with it."""

    audit_action: str
    outside_province: Promise
    refused: Promise
    turned_on: Promise
    turned_off: Promise


SHARINGS = {
    "shares_experts": Sharing(
        "expert_sharing_set",
        gettext_lazy("只有省内的高校可以参与专家共享。"),
        gettext_lazy("只有本校组织部管理员可以设置专家共享。"),
        gettext_lazy("%(name)s已参与全省专家共享。"),
        gettext_lazy("%(name)s已退出全省专家共享。"),
    ),
    "shares_details": Sharing(
        "detail_sharing_set",
        gettext_lazy("只有省内的高校可以向省级管理员共享人员信息。"),
        gettext_lazy("只有本校组织部管理员可以设置人员信息共享。"),
        gettext_lazy("%(name)s已向省级管理员共享人员信息。"),
        gettext_lazy("%(name)s已停止向省级管理员共享人员信息。"),
    ),
}


@transaction.atomic
def university_sharing_set(
    *, university: Unit, acting_user: User, sharing: str, shares: bool
) -> Unit:
    """A university of a province turns one of its `SHARINGS` on or off (its own 组织部 decides,
    an audit row records it)."""
    if sharing not in SHARINGS:
        raise ValidationError({"sharing": _("没有这项共享。")})
    words = SHARINGS[sharing]
    if university.kind != Unit.Kind.UNIVERSITY or university.depth < 2:
        raise ValidationError({"university": str(words.outside_province)})
    if not access_for(acting_user).administers_unit(university):
        raise PermissionDenied(str(words.refused))
    university = Unit.objects.select_for_update().get(pk=university.pk)
    if getattr(university, sharing) != bool(shares):
        setattr(university, sharing, bool(shares))
        university.save(update_fields=[sharing])
        audit_record(
            actor=acting_user,
            action=words.audit_action,
            target=university,
            changes={sharing: bool(shares)},
        )
    return university


@transaction.atomic
def unit_create(
    *, parent: Unit, name: str, code: str, kind: str, short_name: str = "", acting_user: User
) -> Unit:
    _require_admin_of(acting_user, parent)
    unit = Unit(name=name, code=code, kind=kind, short_name=short_name)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit = Unit.objects.add_child(parent, instance=unit)
    audit_record(
        actor=acting_user, action="unit_create", target=unit, changes={"parent": parent.pk}
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, acting_user: User, changes: UnitChanges) -> Unit:
    _require_admin_of(acting_user, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    changed = model_changes(unit, UNIT_EDITABLE_FIELDS, changes)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if changed:
        unit.save()
        audit_record(actor=acting_user, action="unit_update", target=unit, changes=changed)
    return unit


@transaction.atomic
def person_create(*, acting_user: User, unit: Unit, details: PersonDetails) -> Person:
    if not access_for(acting_user).administers_unit(unit):
        raise ValidationError({"unit": _("您无权在该单位添加人员。")})
    fields = {field: value for field, value in details.items() if field in PERSON_EDITABLE_FIELDS}
    person = Person(**{**fields, "unit": unit})
    person.full_clean()
    person.save()
    audit_record(actor=acting_user, action="person_create", target=person)
    return person


@transaction.atomic
def person_update(*, person: Person, acting_user: User, changes: PersonDetails) -> Person:
    _require_admin_of(acting_user, person.unit)
    moving_to = changes.get("unit")
    # Moving someone needs authority over the unit they go to as well.
    if (
        moving_to is not None
        and moving_to.pk != person.unit_id
        and not access_for(acting_user).administers_unit(moving_to)
    ):
        raise ValidationError({"unit": _("您无权把人员调入该单位。")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = model_changes(person, PERSON_EDITABLE_FIELDS, changes)
    person.full_clean()
    if changed:
        person.save()
        audit_record(actor=acting_user, action="person_update", target=person, changes=changed)
    return person


def person_read_log(*, viewer: AnyUser, person: Person, via: str) -> PersonRead | None:
    """Log a read of someone else's record; reading one's own is no access to log."""
    if getattr(getattr(viewer, "person", None), "pk", None) == person.pk:
        return None
    return PersonRead.objects.create(viewer=viewer, person=person, person_number=person.pk, via=via)


class CampaignChanges(TypedDict, total=False):
    """What the organization department may change of a campaign (any of it)."""

    name: str
    starts_on: date
    ends_on: date | None
    retention_days: int
    roles: list[str]


CAMPAIGN_EDITABLE_FIELDS = tuple(CampaignChanges.__annotations__)

# Sent inside the transaction that creates a campaign from an earlier one, so each app above
# the organization copies its own settings (the check-in questions and window, say).
campaign_settings_copied = Signal()  # sender=Campaign, source=, campaign=


def _check_roles(roles):
    unknown = set(roles) - set(ServiceRole.values)
    if unknown:
        raise ValidationError({"roles": _("没有这样的角色：%s。") % "、".join(sorted(unknown))})
    # Kept in the order of the notice, so two campaigns with the same roles compare equal.
    return [role for role in ServiceRole.values if role in roles]


@transaction.atomic
def campaign_create(
    *,
    acting_user: User,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    retention_days: int = 180,
    roles: list[str] | None = None,
    copy_from: Campaign | None = None,
) -> Campaign:
    """A planned campaign. With `copy_from`, the roles and retention come from that campaign
    unless given, and every app copies its settings (signal `campaign_settings_copied`)."""
    restrict(acting_user, Action.MANAGE_CAMPAIGNS)
    if roles is None:
        roles = copy_from.roles if copy_from else list(ServiceRole.values)
    campaign = Campaign(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        retention_days=retention_days,
        roles=_check_roles(roles),
    )
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=acting_user,
        action="campaign_create",
        target=campaign,
        changes={"copy_from": copy_from.pk} if copy_from else {},
    )
    if copy_from is not None:
        campaign_settings_copied.send(sender=Campaign, source=copy_from, campaign=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, acting_user: User, campaign: Campaign, changes: CampaignChanges) -> Campaign:
    restrict(acting_user, Action.MANAGE_CAMPAIGNS)
    unknown = set(changes) - set(CAMPAIGN_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"campaign_update() got unexpected fields {sorted(unknown)}")
    if "roles" in changes:
        changes = {**changes, "roles": _check_roles(changes["roles"])}
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    changed = model_changes(campaign, CAMPAIGN_EDITABLE_FIELDS, changes)
    campaign.full_clean()
    if changed:
        campaign.save()
        audit_record(actor=acting_user, action="campaign_update", target=campaign, changes=changed)
    return campaign


@transaction.atomic
def campaign_move(
    *, acting_user: User, campaign: Campaign, to_status: str, note: str = ""
) -> Campaign:
    """Open, end or archive a campaign. Ending it on a day before its planned end brings the
    end date forward to today (Beijing), which starts the retention clock."""
    restrict(acting_user, Action.MANAGE_CAMPAIGNS)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    transition(record=campaign, to_state=to_status, actor=acting_user, note=note)
    today = timezone.localdate()
    if to_status == Campaign.Status.ACTIVE and campaign.starts_on > today:
        campaign.starts_on = today
        campaign.save(update_fields=["starts_on"])
    if to_status == Campaign.Status.ENDED and (
        campaign.ends_on is None or campaign.ends_on > today
    ):
        campaign.ends_on = max(today, campaign.starts_on)
        campaign.save(update_fields=["ends_on"])
    return campaign
