import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, FilterSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, restrict

from . import importing, selectors, services, spreadsheet
from .forms import ImportUploadForm, ProfileForm, registry_from_params
from .models import Availability, ContactChannel, ServiceRole

router = Router(tags=["talents"])


class ProfileOut(Schema):
    person_id: int
    staff_no: str = Field(alias="person.staff_no")
    name: str = Field(alias="person.name")
    unit_id: int = Field(alias="person.unit_id")
    disciplines: list[str]
    research_fields: str
    keywords: str
    summary: str
    works: str
    volunteered_roles: list[ServiceRole]
    service_regions: list[str]
    preferred_channel: ContactChannel
    availability: Availability
    availability_from: datetime.date | None
    availability_until: datetime.date | None
    confirmed_at: datetime.datetime | None

    @staticmethod
    def resolve_disciplines(profile):
        return [d.code for d in profile.disciplines.all()]

    @staticmethod
    def resolve_service_regions(profile):
        return [r.code for r in profile.service_regions.all()]


class ProfilePatch(Schema):
    """Every field optional; an explicit null is refused (422) rather than stored."""

    disciplines: list[str] = Field(None, max_length=3)
    research_fields: str = Field(None, max_length=200)
    keywords: str = Field(None, max_length=300)
    summary: str = Field(None, max_length=1000)
    works: str = Field(None, max_length=3000)
    volunteered_roles: list[ServiceRole] = None
    service_regions: list[str] = None
    preferred_channel: ContactChannel = None
    availability: Availability = None
    availability_from: datetime.date | None = None
    availability_until: datetime.date | None = None


class RegistryFilter(FilterSchema):
    q: str | None = None
    keyword: str | None = None
    discipline: str | None = None
    role: ServiceRole | None = None
    availability: Availability | None = None
    confirmed: bool | None = None


class ImportOut(Schema):
    id: int
    status: str
    original_name: str
    counts: dict = Field(alias="report.counts")
    file_errors: list[str] = Field(alias="report.file_errors")
    rows: list[dict] = Field(alias="report.rows")


def _codes(allowed, codes, field):
    """The entries of `allowed` (the form's choices) named by `codes`; unknown ones are a 422."""
    found = list(allowed.filter(code__in=codes))
    unknown = sorted(set(codes) - {entry.code for entry in found})
    if unknown:
        raise ValidationError({field: _("未知代码：%(codes)s") % {"codes": "、".join(unknown)}})
    return found


@router.get("/talents/profiles", response=list[ProfileOut])
@paginate(BoundedPageNumberPagination)
def list_profiles(request, filters: Query[RegistryFilter]):
    people = selectors.registry_search(
        org_selectors.people_visible_to(request.user),
        q=filters.q or "",
        keyword=filters.keyword or "",
        discipline=filters.discipline or "",
        role=filters.role or "",
        availability=filters.availability or "",
        confirmed={True: "yes", False: "no", None: ""}[filters.confirmed],
    )
    return (
        selectors.profiles_visible_to(request.user)
        .filter(person__in=people.values("pk"))
        .select_related("person")
        .prefetch_related("disciplines", "service_regions")
        .order_by("person__staff_no")
    )


@router.get("/talents/profiles/{person_id}", response=ProfileOut)
def get_profile(request, person_id: int):
    return selectors.get_profile_for_user(request.user, person_id)


@router.patch("/talents/profiles/{person_id}", response=ProfileOut)
def update_profile(request, person_id: int, payload: ProfilePatch):
    profile = selectors.get_profile_for_user(request.user, person_id, action="change")
    values = payload.dict(exclude_unset=True)
    if "disciplines" in values:
        values["disciplines"] = _codes(
            ProfileForm.base_fields["disciplines"].queryset, values["disciplines"], "disciplines"
        )
    if "service_regions" in values:
        values["service_regions"] = _codes(
            ProfileForm.base_fields["service_regions"].queryset,
            values["service_regions"],
            "service_regions",
        )
    if "volunteered_roles" in values:
        chosen = set(values.pop("volunteered_roles"))
        values |= {f"volunteers_{role.value}": role in chosen for role in ServiceRole}
    return services.profile_update(
        profile=profile,
        acting_user=request.user,
        disciplines=values.pop("disciplines", None),
        service_regions=values.pop("service_regions", None),
        changes=values,
    )


@router.post("/talents/profiles/{person_id}/confirm", response=ProfileOut)
def confirm_profile(request, person_id: int):
    profile = selectors.get_profile_for_user(request.user, person_id)
    return services.profile_confirm(profile=profile, acting_user=request.user)


@router.post("/talents/imports", response={201: ImportOut})
def upload_import(request, file: File[UploadedFile]):
    form = ImportUploadForm(files={"file": file})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    batch = importing.talent_import_preview(
        uploaded=form.cleaned_data["file"], acting_user=request.user
    )
    return Status(201, batch)


@router.get("/talents/imports/{batch_id}", response=ImportOut)
def get_import(request, batch_id: int):
    return selectors.get_import_batch_for_user(request.user, batch_id)


@router.post("/talents/imports/{batch_id}/confirm", response=ImportOut)
def confirm_import(request, batch_id: int):
    batch = selectors.get_import_batch_for_user(request.user, batch_id)
    importing.talent_import_confirm(batch=batch, acting_user=request.user)
    batch.refresh_from_db()
    return batch


@router.get("/talents/export")
def export(request):
    """The filtered list as .xlsx (same parameters as the people list page)."""
    restrict(request.user, Action.READ_PEOPLE)
    people, _form = registry_from_params(request.user, request.GET)
    handle = spreadsheet.write_export(
        people.iterator(chunk_size=2000), org_selectors.units_visible_to(request.user)
    )
    filename = f"talents-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=spreadsheet.XLSX
    )
