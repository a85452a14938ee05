from .models import AuditEvent


def audit_record(*, actor, action, target, changes=None):
    """Write the audit row for a write a service has just made (inside its transaction)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        changes=changes or {},
    )


def model_changes(instance, fields, values):
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
