"""Which profiles a held-out title is relevant to, graded as the matching benchmark grades its
queries: the title's own author is grade 2; up to 30 other profiles of the same discipline that
share at least two meaningful units with the title are grade 1, by summed IDF.

The engine uses it to learn its ranker from its own pool, and `bench/` to build a validation
set, so both judge by one rule."""

import math
import re
from collections import Counter

from .tokenize import ASCII_TOKEN, CJK, STOPWORDS, normalize

GRADE_ONE_LIMIT = 30
# A bigram in at least this share of titles says nothing about a topic.
COMMON_UNIT_SHARE = 0.015
FUNCTION_CHARACTERS = "的与和及对在中之于等为以下其"
GENERIC = sorted((word for word in STOPWORDS if len(word) > 1), key=lambda word: (-len(word), word))
GENERIC_PATTERN = re.compile("|".join(map(re.escape, GENERIC)) + f"|[{FUNCTION_CHARACTERS}]")


def raw_units(title):
    """CJK bigrams of a title once generic words and function characters are cut out, plus its
    ASCII tokens."""
    text = normalize(title)
    units = set(ASCII_TOKEN.findall(text))
    for run in CJK.findall(GENERIC_PATTERN.sub(" ", text)):
        units.update(run[i : i + 2] for i in range(len(run) - 1))
    return units


class MeaningfulUnits:
    """Meaningful units of titles, with their IDF over a body of titles."""

    def __init__(self, titles):
        titles = list(titles)
        self.title_count = max(len(titles), 1)
        self.frequency = Counter()
        for title in titles:
            self.frequency.update(raw_units(title))
        limit = COMMON_UNIT_SHARE * self.title_count
        self.common = {unit for unit, count in self.frequency.items() if count >= limit}

    def units(self, title):
        return raw_units(title) - self.common

    def idf(self, unit):
        return math.log(self.title_count / (1 + self.frequency.get(unit, 0)))


def keywords_kept(keywords, *, held_out, remaining_works):
    """A profile's keywords once one work is held out: those found in the held-out title and in
    none of the remaining works most likely came with that work, so they go with it."""
    title = normalize(held_out)
    rest = normalize(" ".join(remaining_works))
    return [word for word in keywords if normalize(word) not in title or normalize(word) in rest]


def grade(*, title, author_id, discipline, profiles, units):
    """{profile id: grade} for one held-out title. `profiles` are (id, discipline, set of units
    of the profile's remaining works) for the whole pool."""
    wanted = units.units(title)
    relevant = {author_id: 2}
    if not wanted or not discipline:
        return relevant
    scored = []
    for profile_id, profile_discipline, profile_units in profiles:
        if profile_id == author_id or profile_discipline != discipline:
            continue
        shared = wanted & profile_units
        if len(shared) >= 2:
            scored.append((sum(units.idf(unit) for unit in shared), profile_id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    relevant.update({profile_id: 1 for _, profile_id in scored[:GRADE_ONE_LIMIT]})
    return relevant


def graded_by_discipline(profiles):
    """Index (id, discipline, units) rows by discipline, so grading a title scans only its own
    discipline."""
    grouped = {}
    for row in profiles:
        grouped.setdefault(row[1], []).append(row)
    return grouped
