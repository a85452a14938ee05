"""What an app keeps about a person, in a shape every app shares: the person's data page, its
JSON and Excel exports and the deletion plan read these sections (PIPL Arts. 44-47). Each app
that keeps personal data has a `personal_data.py` with `sections(person)`."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COMMON_LABELS = {
    "campaign": gettext_lazy("专项行动"),
    "person": gettext_lazy("人员"),
    "unit": gettext_lazy("单位"),
    "request": gettext_lazy("需求"),
    "need": gettext_lazy("物资需求"),
    "template": gettext_lazy("承诺书"),
    "notice": gettext_lazy("告知书"),
    "viewer": gettext_lazy("查看人"),
    "user": gettext_lazy("查看人"),
}


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    # Why it is kept, and until when: shown beside it and in a deletion request's answer.
    kept_because: str
    # Reads of the person's records by others (shown together as 谁查看过我的信息).
    reads: bool = False
    # How many records a deletion request may remove now (the rest are kept, kept_because).
    deletable: int = 0
    extra: dict = field(default_factory=dict)


def section(*, key, title, records, fields, kept_because, reads=False, deletable=0, labels=None):
    """A Section of `records` (a queryset or list of model instances) showing `fields`: field
    names, labelled by their verbose name unless `labels` names them, or (label, function of
    the record) for a value that needs its own reading."""
    records = list(records)
    labels = labels or {}
    model = records[0].__class__ if records else None
    columns = [
        str(spec[0] if isinstance(spec, tuple) else labels.get(spec) or _label(model, spec))
        for spec in fields
    ]
    return Section(
        key=key,
        title=str(title),
        columns=columns,
        rows=[
            [
                spec[1](record) if isinstance(spec, tuple) else display(record, spec)
                for spec in fields
            ]
            for record in records
        ],
        kept_because=str(kept_because),
        reads=reads,
        deletable=deletable,
    )


def _label(model, name):
    """The field's verbose name; a field that has none (Django then makes one of its name) is
    named by what it points to."""
    if model is None:
        return COMMON_LABELS.get(name, name)
    verbose = str(model._meta.get_field(name).verbose_name)
    if verbose == name.replace("_", " "):
        return str(COMMON_LABELS.get(name, verbose))
    return verbose


def account_label(user):
    """An account as people read it: the name they know, with the account to tell two of the
    same name apart."""
    return f"{user.first_name}（{user.username}）" if user.first_name else user.username


def display(record, name):
    """A value as a person reads it: choices by their label, times in Asia/Shanghai."""
    getter = getattr(record, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    value = getattr(record, name)
    if callable(value):
        value = value()
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    if hasattr(value, "get_full_name"):
        return account_label(value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)
