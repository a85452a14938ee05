"""Writes of the organization: keyword-only, atomic, validated, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qunce.core.services import audit_record, model_changes

from .access import access_for
from .models import Person, Unit

UNIT_EDITABLE_FIELDS = ("name", "short_name", "code", "kind")
PERSON_EDITABLE_FIELDS = (
    "staff_no",
    "name",
    "gender",
    "unit",
    "title_level",
    "title",
    "post",
    "political_status",
    "mobile",
    "wechat_id",
    "qq",
    "email",
)


def _require_admin_of(user, unit):
    if not access_for(user).administers_unit(unit):
        raise PermissionDenied(_("您无权管理该单位。"))


@transaction.atomic
def unit_create(*, parent, name, code, kind, short_name="", acting_user):
    _require_admin_of(acting_user, parent)
    unit = Unit(name=name, code=code, kind=kind, short_name=short_name)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit = Unit.objects.add_child(parent, instance=unit)
    audit_record(
        actor=acting_user, action="unit_create", target=unit, changes={"parent": parent.pk}
    )
    return unit


@transaction.atomic
def unit_update(*, unit, acting_user, **values):
    _require_admin_of(acting_user, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    changes = model_changes(unit, UNIT_EDITABLE_FIELDS, values)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if changes:
        unit.save()
        audit_record(actor=acting_user, action="unit_update", target=unit, changes=changes)
    return unit


@transaction.atomic
def person_create(*, acting_user, unit, **values):
    if not access_for(acting_user).administers_unit(unit):
        raise ValidationError({"unit": _("您无权在该单位添加人员。")})
    values["unit"] = unit
    person = Person(**{field: values[field] for field in PERSON_EDITABLE_FIELDS if field in values})
    person.full_clean()
    person.save()
    audit_record(actor=acting_user, action="person_create", target=person)
    return person


@transaction.atomic
def person_update(*, person, acting_user, **values):
    _require_admin_of(acting_user, person.unit)
    moving = "unit" in values and values["unit"].pk != person.unit_id
    # Moving someone needs authority over the unit they go to as well.
    if moving and not access_for(acting_user).administers_unit(values["unit"]):
        raise ValidationError({"unit": _("您无权把人员调入该单位。")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = model_changes(person, PERSON_EDITABLE_FIELDS, values)
    person.full_clean()
    if changes:
        person.save()
        audit_record(actor=acting_user, action="person_update", target=person, changes=changes)
    return person
