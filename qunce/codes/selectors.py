"""Reads of the national code lists."""

from .models import Region

LIAONING = "210000"

Options = list[tuple[str, str]]

# GB/T 2260 as shipped with the code (every province, and Liaoning's cities and counties:
# about 150 rows), kept by each process once read: divisions by code, and each division's
# children as (code, name) options ("" for the provinces).
_divisions: dict[str, Region] = {}
_children: dict[str, Options] = {}


def _code_list() -> tuple[dict[str, Region], dict[str, Options]]:
    """Every check-in page and help form shows and checks three divisions: they are read once
    per process. The list changes with a release (a restart); `load_codes` forgets it in its
    own process."""
    if not _divisions:
        regions = sorted(
            Region.objects.all(), key=lambda region: (region.code != LIAONING, region.code)
        )
        for region in regions:
            _divisions[region.code] = region
            _children.setdefault(region.parent_id or "", []).append((region.code, region.name))
    return _divisions, _children


def region_by_code(code: str) -> Region | None:
    """A GB/T 2260 division by its six digits, or None."""
    return _code_list()[0].get(code)


def cascade_options(province, city) -> tuple[Options, Options, Options]:
    """The province → city → county selects' (code, name) options: every province (Liaoning,
    the university's, first), the chosen province's cities and the chosen city's counties."""
    children = _code_list()[1]
    return (
        children.get("", []),
        children.get(str(province), []) if province else [],
        children.get(str(city), []) if city else [],
    )


def children_options(parent: str) -> Options:
    """The (code, name) of a GB/T 2260 division's children."""
    return _code_list()[1].get(parent, []) if parent else []


def forget_code_list() -> None:
    """After the code list is loaded again, the next read takes it afresh."""
    _divisions.clear()
    _children.clear()
