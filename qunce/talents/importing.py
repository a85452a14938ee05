"""Importing a talent list: classify every row against the registry, then apply all or nothing."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.core.models import AuditEvent
from qunce.core.services import audit_record, transition
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Person, Unit

from .models import ImportBatch, TalentProfile
from .spreadsheet import COLUMNS, DEFAULTS, PERSON_KEYS, PROFILE_KEYS, CodeBook, read_workbook

LOOKUP_CHUNK = 500
WRITE_BATCH = 1000
HEADERS = {column.key: column.header for column in COLUMNS}
HEADERS["disciplines"] = "学科"


def parse_and_classify(uploaded, *, acting_user):
    """Read the file and mark each row new / changed / unchanged / error. Writes nothing."""
    # The command line (no acting user) acts for the whole university.
    units = org_selectors.units_administered_by(acting_user) if acting_user else Unit.objects.all()
    parsed = read_workbook(uploaded, CodeBook(units.only("pk", "code", "name", "path")))
    existing = _existing_people(
        [row.values["staff_no"] for row in parsed.rows if row.values.get("staff_no")]
    )
    taken_usernames = _taken_usernames(
        [
            row.values["staff_no"]
            for row in parsed.rows
            if row.values.get("staff_no") not in existing
        ]
    )
    access = access_for(acting_user) if acting_user else None
    for row in parsed.rows:
        staff_no = row.values.get("staff_no")
        person = existing.get(staff_no)
        if person is not None and access is not None and not access.administers_unit(person.unit):
            row.errors.append(("工号", _("该工号属于您管理范围以外的人员，不能在此导入。")))
        if person is None and staff_no and staff_no.lower() in taken_usernames:
            row.errors.append(("工号", _("已有同名登录账号，无法为新人员开通账号。")))
        if row.errors:
            row.status = "error"
            continue
        if person is None:
            row.status = "new"
            continue
        current = current_values(person)
        row.changed = [
            HEADERS[key] for key, value in row.values.items() if current.get(key) != value
        ]
        row.status = "changed" if row.changed else "unchanged"
    return parsed, existing


def current_values(person):
    """A person and their profile in the normalized form that parsed rows take."""
    values = {key: getattr(person, key) for key in PERSON_KEYS if key != "unit"}
    values["unit"] = person.unit_id
    profile = getattr(person, "profile", None)
    if profile is None:
        values |= {
            key: DEFAULTS.get(key, False if key.startswith("volunteers_") else "")
            for key in PROFILE_KEYS
        }
        values |= {"availability_from": None, "availability_until": None}
        values |= {"disciplines": [], "service_regions": []}
        return values
    values |= {key: getattr(profile, key) for key in PROFILE_KEYS}
    values["disciplines"] = sorted(d.code for d in profile.disciplines.all())
    values["service_regions"] = sorted(r.code for r in profile.service_regions.all())
    return values


def _existing_people(staff_numbers):
    found = {}
    for start in range(0, len(staff_numbers), LOOKUP_CHUNK):
        chunk = staff_numbers[start : start + LOOKUP_CHUNK]
        people = (
            Person.objects.filter(staff_no__in=chunk)
            .select_related("unit", "profile")
            .prefetch_related("profile__disciplines", "profile__service_regions")
        )
        found.update({person.staff_no: person for person in people})
    return found


def _taken_usernames(staff_numbers):
    taken = set()
    for start in range(0, len(staff_numbers), LOOKUP_CHUNK):
        chunk = staff_numbers[start : start + LOOKUP_CHUNK]
        taken.update(
            name.lower()
            for name in User.objects.filter(username__in=chunk).values_list("username", flat=True)
        )
    return taken


def report_of(parsed):
    """What the preview page shows, kept with the batch."""
    return {
        "counts": parsed.counts(),
        "file_errors": parsed.file_errors,
        "rows": [
            {
                "row": row.number,
                "status": row.status,
                "staff_no": row.values.get("staff_no", ""),
                "name": row.values.get("name", ""),
                "changed": row.changed,
                "errors": [
                    {"column": column, "message": message} for column, message in row.errors
                ],
            }
            for row in parsed.rows
        ],
    }


@transaction.atomic
def talent_import_preview(*, uploaded, acting_user):
    """Store the upload and what importing it would do. Nothing in the registry changes."""
    restrict(acting_user, Action.IMPORT_TALENTS)
    uploaded.seek(0)
    parsed, _existing = parse_and_classify(uploaded, acting_user=acting_user)
    uploaded.seek(0)
    batch = ImportBatch(
        created_by=acting_user, original_name=uploaded.name[:200], report=report_of(parsed)
    )
    batch.file.save(uploaded.name, uploaded, save=False)
    batch.save()
    if batch.has_errors:
        _forget_upload(batch)  # it can never be confirmed; its report says what to correct
    audit_record(
        actor=acting_user,
        action="talent_import_preview",
        target=batch,
        changes=batch.report["counts"],
    )
    return batch


def talent_import_confirm(*, batch, acting_user):
    """Apply a previewed file: re-read and re-check it against the registry as it is now, and
    write every row or none. A refusal keeps the fresh report, so the preview shows why."""
    restrict(acting_user, Action.IMPORT_TALENTS)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise ValidationError({"status": _("该文件已处理，不能再次导入。")})
        if batch.has_errors:
            raise ValidationError({"file": _("文件中有错误，未导入任何数据。请改正后重新上传。")})
        with batch.file.open("rb") as handle:
            parsed, existing = parse_and_classify(handle, acting_user=acting_user)
        batch.report = report_of(parsed)
        batch.save(update_fields=["report"])
        if not parsed.has_errors:
            counts = apply_rows(parsed, existing, acting_user=acting_user)
            transition(record=batch, to_state=ImportBatch.Status.APPLIED, actor=acting_user)
            audit_record(
                actor=acting_user, action="talent_import_apply", target=batch, changes=counts
            )
            _forget_upload(batch)
            return counts
    raise ValidationError({"file": _("文件中有错误，未导入任何数据。请改正后重新上传。")})


@transaction.atomic
def talent_import_discard(*, batch, acting_user):
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    transition(record=batch, to_state=ImportBatch.Status.DISCARDED, actor=acting_user)
    _forget_upload(batch)
    return batch


def stale_previews_discard(*, days=3):
    """Discard import previews nobody confirmed within `days` and delete their uploaded files,
    which hold phone numbers and e-mail addresses. Returns how many were discarded."""
    cutoff = timezone.now() - timedelta(days=days)
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEWED, created_at__lt=cutoff)
    count = 0
    for batch in stale:
        talent_import_discard(batch=batch, acting_user=None)
        count += 1
    return count


def _forget_upload(batch):
    """The uploaded file holds phone numbers and e-mail addresses: once the batch is done with,
    only the preview report (row numbers, 工号, names, messages) is kept."""
    stored = batch.file.name
    storage = batch.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def apply_rows(parsed, existing, *, acting_user):
    """Write the new and changed rows in bulk. Callers have checked that no row has errors."""
    now = timezone.now()
    new_rows = [row for row in parsed.rows if row.status == "new"]
    changed_rows = [row for row in parsed.rows if row.status == "changed"]

    # Accounts for new people: no usable password until an admin issues an initial one, and a
    # forced change at first login.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=row.values["staff_no"],
                first_name=row.values["name"],
                email=row.values.get("email", ""),
                password=unusable,
                must_change_password=True,
            )
            for row in new_rows
        ],
        batch_size=WRITE_BATCH,
    )
    people = Person.objects.bulk_create(
        [
            Person(user=user, unit_id=row.values["unit"], **_person_fields(row))
            for row, user in zip(new_rows, users, strict=True)
        ],
        batch_size=WRITE_BATCH,
    )
    for row in changed_rows:
        person = existing[row.values["staff_no"]]
        for key, value in _person_fields(row).items():
            setattr(person, key, value)
        person.unit_id = row.values["unit"]
    Person.objects.bulk_update(
        [existing[row.values["staff_no"]] for row in changed_rows],
        [key for key in PERSON_KEYS if key != "unit"] + ["unit"],
        batch_size=WRITE_BATCH,
    )

    # Profiles: an import by a unit's admin is that unit vouching for the rows it changed.
    new_targets = list(zip(new_rows, people, strict=True))
    changed_targets = [(row, existing[row.values["staff_no"]]) for row in changed_rows]
    profiles_to_create, profiles_to_update = [], []
    for row, person in new_targets + changed_targets:
        # Existing people came with select_related("profile"): no query here.
        profile = getattr(person, "profile", None) if row.status == "changed" else None
        if profile is None:
            profile = TalentProfile(person=person)
            profiles_to_create.append(profile)
        else:
            profiles_to_update.append(profile)
        for key in PROFILE_KEYS:
            setattr(profile, key, row.values[key])
        profile.confirmed_at, profile.confirmed_by = now, acting_user
        profile.updated_at = now
        profile.refresh_search_text()
        row.profile = profile
    TalentProfile.objects.bulk_create(profiles_to_create, batch_size=WRITE_BATCH)
    TalentProfile.objects.bulk_update(
        profiles_to_update,
        [*PROFILE_KEYS, "confirmed_at", "confirmed_by", "updated_at", "search_text"],
        batch_size=WRITE_BATCH,
    )
    targets = new_targets + changed_targets
    _replace_links(TalentProfile.disciplines.through, "discipline_id", targets, "disciplines")
    _replace_links(TalentProfile.service_regions.through, "region_id", targets, "service_regions")

    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=acting_user,
                action="person_import",
                target_type="org.person",
                target_id=str(person.pk),
                changes={"status": row.status, "changed": row.changed},
            )
            for row, person in targets
        ],
        batch_size=WRITE_BATCH,
    )
    return {
        "new": len(new_rows),
        "changed": len(changed_rows),
        "unchanged": len(parsed.rows) - len(new_rows) - len(changed_rows),
    }


def _person_fields(row):
    return {key: row.values[key] for key in PERSON_KEYS if key != "unit"}


def _replace_links(through, code_field, targets, key):
    profile_ids = [row.profile.pk for row, _person in targets]
    for start in range(0, len(profile_ids), LOOKUP_CHUNK):
        through.objects.filter(
            talentprofile_id__in=profile_ids[start : start + LOOKUP_CHUNK]
        ).delete()
    through.objects.bulk_create(
        [
            through(talentprofile_id=row.profile.pk, **{code_field: code})
            for row, _person in targets
            for code in row.values[key]
        ],
        batch_size=WRITE_BATCH,
    )
