"""Who may do what: the role grants of one account, read once per request."""

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Role, RoleGrant, Unit


@dataclass(frozen=True)
class Access:
    is_authenticated: bool = False
    is_org_admin: bool = False
    admin_unit_paths: tuple[str, ...] = ()
    # Units (a province's root) whose figures this account sees, summed over their universities.
    province_unit_paths: tuple[str, ...] = ()
    # Universities of those provinces that share their people's records with the province admin:
    # read, never changed, and never their counselling.
    shared_unit_paths: tuple[str, ...] = ()
    is_counsellor: bool = False
    is_counselling_coordinator: bool = False
    person_id: int | None = None
    person_unit_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_unit_admin(self):
        return bool(self.admin_unit_paths)

    @property
    def is_admin(self):
        return self.is_org_admin or self.is_unit_admin

    @property
    def oversees_province(self):
        return bool(self.province_unit_paths)

    @property
    def is_talent(self):
        return self.person_id is not None

    def administers_path(self, path):
        return self.is_org_admin or any(path.startswith(prefix) for prefix in self.admin_unit_paths)

    def administers_unit(self, unit):
        return self.administers_path(unit.path)

    @property
    def reads_people(self):
        """Whether this account reads other people's records: an admin, or a province admin
        whom a university shares them with."""
        return self.is_admin or bool(self.shared_unit_paths)

    def reads_path(self, path):
        """Whether the people of the unit at `path` are this account's to read."""
        return self.administers_path(path) or any(
            path.startswith(prefix) for prefix in self.shared_unit_paths
        )

    def unit_path_filter(self, lookup):
        """Q over `lookup` (a path field) matching every unit this account administers."""
        return paths_filter(lookup, self.admin_unit_paths)

    def read_path_filter(self, lookup):
        """Q over `lookup` (a path field) matching every unit whose people this account reads:
        those it administers and those shared with it."""
        return paths_filter(lookup, self.admin_unit_paths + self.shared_unit_paths)


def paths_filter(lookup, paths):
    """Q over `lookup` (a unit path field) matching the units at or under any of `paths`
    (none when `paths` is empty)."""
    query = Q(pk__in=[])
    for prefix in paths:
        query |= Q(**{f"{lookup}__startswith": prefix})
    return query


ANONYMOUS = Access()


def _shared_universities(province_paths):
    if not province_paths:
        return ()
    return tuple(
        Unit.objects.filter(
            paths_filter("path", province_paths), kind=Unit.Kind.UNIVERSITY, shares_details=True
        )
        .order_by("path")
        .values_list("path", flat=True)
    )


def access_for(user):
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_qunce_access", None)
    if cached is not None:
        return cached
    grants = list(
        RoleGrant.objects.filter(user=user).select_related("unit").only("role", "unit__path")
    )
    admin_paths = sorted({grant.unit.path for grant in grants if grant.role == Role.UNIT_ADMIN})
    # A path inside another administered path adds nothing to the filter.
    admin_paths = tuple(
        p for p in admin_paths if not any(p != q and p.startswith(q) for q in admin_paths)
    )
    province_paths = tuple(
        sorted({grant.unit.path for grant in grants if grant.role == Role.PROVINCE_ADMIN})
    )
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    access = Access(
        is_authenticated=True,
        is_org_admin=any(grant.role == Role.ORG_ADMIN for grant in grants),
        admin_unit_paths=admin_paths,
        province_unit_paths=province_paths,
        shared_unit_paths=_shared_universities(province_paths),
        is_counsellor=any(grant.role == Role.COUNSELLOR for grant in grants),
        is_counselling_coordinator=any(
            grant.role == Role.COUNSELLING_COORDINATOR for grant in grants
        ),
        person_id=person.pk if person else None,
        person_unit_id=person.unit_id if person else None,
        roles=frozenset(grant.role for grant in grants),
    )
    user._qunce_access = access
    return access
