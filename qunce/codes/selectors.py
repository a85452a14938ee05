"""Reads of the national code lists."""

from django.core.cache import cache

from .models import Region

LIAONING = "210000"
REGION_OPTIONS_KEY = "codes:region-options:{}"
REGION_OPTIONS_SECONDS = 24 * 60 * 60
PROVINCES = "provinces"

Options = list[tuple[str, str]]


_regions_seen: dict[str, Region] = {}


def region_by_code(code: str) -> Region | None:
    """A GB/T 2260 division by its six digits. The entries are national constants shipped with
    the code: each is read once per process (only found ones are kept, so a division added by a
    reload of the lists is seen)."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    region = _regions_seen.get(code)
    if region is None:
        region = Region.objects.filter(pk=code).first()
        if region is not None:
            _regions_seen[code] = region
    return region


def cascade_options(province, city) -> tuple[Options, Options, Options]:
    """The province → city → county selects' (code, name) options: every province (Liaoning,
    the university's, first), the chosen province's cities and the chosen city's counties."""
    provinces, cities, counties = _options([PROVINCES, str(province or ""), str(city or "")])
    return provinces, cities, counties


def children_options(parent: str) -> Options:
    """The (code, name) of a GB/T 2260 division's children."""
    (children,) = _options([parent])
    return children


def _options(parents: list[str]) -> list[Options]:
    """Every check-in page and help form lists these: they come from the cache in one round
    trip, since the code list changes only when `load_codes` runs, and that forgets them (a
    list changed any other way shows within REGION_OPTIONS_SECONDS). Only a real division's
    children are kept, so codes made up by a visitor cannot fill the cache."""
    keys = {parent: _key(parent) for parent in parents if parent == PROVINCES or parent.isdigit()}
    kept = cache.get_many(keys.values())
    lists: list[Options] = []
    for parent in parents:
        key = keys.get(parent)
        if key is None:
            lists.append([])
            continue
        if key not in kept:
            regions = (
                Region.objects.filter(level=Region.Level.PROVINCE)
                if parent == PROVINCES
                else Region.objects.filter(parent_id=parent)
            )
            kept[key] = sorted(
                regions.values_list("code", "name"), key=lambda row: (row[0] != LIAONING, row[0])
            )
            if kept[key]:
                cache.set(key, kept[key], REGION_OPTIONS_SECONDS)
        lists.append(kept[key])
    return lists


def _key(parent):
    return REGION_OPTIONS_KEY.format(parent)


def forget_region_options(parents) -> None:
    """After the code list is loaded again: the provinces and every division's children."""
    cache.delete_many([_key(PROVINCES), *(_key(parent) for parent in parents)])
