"""Who may do what: the role grants of one account, read once per request."""

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Role, RoleGrant


@dataclass(frozen=True)
class Access:
    is_authenticated: bool = False
    is_org_admin: bool = False
    admin_unit_paths: tuple[str, ...] = ()
    # Units (a province's root) whose figures this account sees, summed over their universities.
    province_unit_paths: tuple[str, ...] = ()
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

    def unit_path_filter(self, lookup):
        """Q over `lookup` (a path field) matching every unit this account administers."""
        return paths_filter(lookup, self.admin_unit_paths)


def paths_filter(lookup, paths):
    """Q over `lookup` (a unit path field) matching the units at or under any of `paths`
    (none when `paths` is empty)."""
    query = Q(pk__in=[])
    for prefix in paths:
        query |= Q(**{f"{lookup}__startswith": prefix})
    return query


ANONYMOUS = Access()


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
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    access = Access(
        is_authenticated=True,
        is_org_admin=any(grant.role == Role.ORG_ADMIN for grant in grants),
        admin_unit_paths=admin_paths,
        province_unit_paths=tuple(
            sorted({grant.unit.path for grant in grants if grant.role == Role.PROVINCE_ADMIN})
        ),
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
