from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, InboxMessage, StateEvent

# The project's user model lives in accounts, a floor above this one, so the ground floor cannot
# name it: it takes any account (anonymous ones are written as no one) and leaves the foreign
# keys to check it.
AnyUser = Any


def audit_record(
    *,
    actor: AnyUser | None,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write the audit row for a write a service has just made (inside its transaction)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        changes=changes or {},
    )


def model_changes(
    instance: models.Model, fields: Iterable[str], values: Mapping[str, Any]
) -> dict[str, list[Any]]:
    """Set values on instance; return {field: [old, new]} for those that really changed."""
    changed = {}
    for field in fields:
        if field not in values:
            continue
        old, new = getattr(instance, field), values[field]
        if old != new:
            changed[field] = [_jsonable(old), _jsonable(new)]
            setattr(instance, field, new)
    return changed


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


def inbox_send(
    *, recipients: Iterable[AnyUser], subject: str, body: str = "", link: str = ""
) -> list[InboxMessage]:
    """Put one message in each recipient's in-app inbox."""
    return InboxMessage.objects.bulk_create(
        InboxMessage(recipient=user, subject=subject, body=body, link=link) for user in recipients
    )


def inbox_mark_read(*, user: AnyUser, message_ids: Iterable[int]) -> int:
    return InboxMessage.objects.filter(
        recipient=user, pk__in=message_ids, read_at__isnull=True
    ).update(read_at=timezone.now())


def transition(
    *,
    record: models.Model,
    to_state: str,
    actor: AnyUser | None,
    note: str = "",
    field: str = "status",
    transitions: Mapping[str, Iterable[str]] | None = None,
) -> StateEvent:
    """Move `record` to `to_state` if its model's TRANSITIONS table allows it; write the event.

    Call inside the service's transaction, on a row locked with select_for_update."""
    # Each model that moves through here declares its TRANSITIONS table; Model itself does not.
    table = transitions if transitions is not None else type(record).TRANSITIONS  # type: ignore[attr-defined]
    from_state = getattr(record, field)
    if to_state not in table.get(from_state, set()):
        raise ValidationError(
            {field: _("不能从“%(from)s”变为“%(to)s”。") % {"from": from_state, "to": to_state}}
        )
    setattr(record, field, to_state)
    update_fields = [field]
    if hasattr(record, f"{field}_changed_at"):
        setattr(record, f"{field}_changed_at", timezone.now())
        update_fields.append(f"{field}_changed_at")
    record.save(update_fields=update_fields)
    return StateEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        target_type=record._meta.label_lower,
        target_id=str(record.pk),
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
