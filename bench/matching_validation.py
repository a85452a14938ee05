"""A validation set for expert matching, made from the pool the way the benchmark's own queries
were made (`../shared/bench/matching/README.md`): for profiles with at least two works, one work
is taken out of the profile before anything is indexed and its title becomes the query; the
profile is grade 2, and up to 30 other profiles of its discipline sharing at least two
meaningful units with the title are grade 1. A CSL paper's title is graded as the benchmark grades
its CSL queries, by shared keywords among CSL authors (`grade_paper`).

    .venv/bin/python bench/matching_validation.py --pool ../shared/bench/matching/pool.jsonl \
        --size 3000 --out var/matching-validation.jsonl

Grant PIs lose their newest work (works are newest first), CSL authors a random paper; the
keywords that only that work explains go with it (`keywords_kept`). The draw is stratified by
source and seeded, so the same pool always gives the same set."""

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _pool import load_pool

from qunce.matching.relevance import MeaningfulUnits, grade, graded_by_discipline, keywords_kept
from qunce.matching.tokenize import normalize

VALIDATION_SEED = 4754
GENERIC_KEYWORDS = {"中国", "应用", "研究"}
PUNCTUATION = re.compile(r"[\W_]+")
MANAGEMENT_DIVISIONS = {"管理科学与工程", "工商管理", "宏观管理与政策", "管理科学"}


def source_of(profile):
    """The benchmark's source names, read off a profile."""
    if profile.get("kind") == "csl-author":
        return "csl"
    if profile.get("discipline_code"):
        return "nsfc-life"
    if profile.get("title") or profile.get("discipline") not in MANAGEMENT_DIVISIONS:
        return "nssfc"
    return "nsfc-mgmt"


def _comparable(keyword):
    """A keyword as the benchmark compares them: NFKC, lower case, no punctuation."""
    return PUNCTUATION.sub("", normalize(keyword))


def grade_paper(*, title, author_id, authors):
    """A paper's title, graded as the benchmark grades its CSL queries: CSL authors of the
    paper's discipline sharing two of its keywords are grade 2, one keyword grade 1. The pool
    keeps no paper's own keywords, so a paper's keywords are taken to be those of an author's
    keywords its title names; its own author stays grade 2."""
    text = _comparable(title)
    relevant = {}
    for profile_id, keywords in authors:
        shared = sum(word in text for word in keywords if word)
        if shared:
            relevant[profile_id] = 2 if shared >= 2 else 1
    return relevant | {author_id: 2}


def build_validation(pool, *, size, seed=VALIDATION_SEED):
    """(the pool with each query's work taken out, queries with graded relevance)."""
    rng = random.Random(seed)
    eligible = {}
    for position, profile in enumerate(pool):
        if len(profile["works"]) >= 2 and profile["discipline"]:
            eligible.setdefault(source_of(profile), []).append(position)
    total = sum(len(positions) for positions in eligible.values())
    chosen = {}
    for source, positions in sorted(eligible.items()):
        rng.shuffle(positions)
        share = round(size * len(positions) / total)
        for position in positions[:share]:
            works = pool[position]["works"]
            chosen[position] = 0 if source != "csl" else rng.randrange(len(works))

    reduced = []
    for position, profile in enumerate(pool):
        if position in chosen:
            works = list(profile["works"])
            held_out = works.pop(chosen[position])
            keywords = keywords_kept(profile["keywords"], held_out=held_out, remaining_works=works)
            profile = {**profile, "works": works, "keywords": keywords}
        reduced.append(profile)

    units = MeaningfulUnits(work for profile in pool for work in profile["works"])
    by_discipline = graded_by_discipline(
        [
            (
                profile["id"],
                profile["discipline"],
                set().union(*(units.units(work) for work in profile["works"])),
            )
            for profile in reduced
        ]
    )
    csl_keywords = {}
    for profile in reduced:
        if source_of(profile) == "csl":
            csl_keywords.setdefault(profile["discipline"], []).append(
                (
                    profile["id"],
                    {_comparable(word) for word in profile["keywords"]} - GENERIC_KEYWORDS,
                )
            )
    queries = []
    for number, (position, held_out) in enumerate(sorted(chosen.items()), start=1):
        profile = pool[position]
        title = profile["works"][held_out]
        queries.append(
            {
                "id": f"V{number:05d}",
                "text": title,
                "source": source_of(profile),
                "discipline": profile["discipline"],
                "relevant": grade_paper(
                    title=title,
                    author_id=profile["id"],
                    authors=csl_keywords.get(profile["discipline"], []),
                )
                if source_of(profile) == "csl"
                else grade(
                    title=title,
                    author_id=profile["id"],
                    discipline=profile["discipline"],
                    profiles=by_discipline.get(profile["discipline"], []),
                    units=units,
                ),
            }
        )
    return reduced, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", required=True)
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    _, queries = build_validation(load_pool(args.pool)[0], size=args.size)
    with open(args.out, "w", encoding="utf-8") as handle:
        for query in queries:
            handle.write(json.dumps(query, ensure_ascii=False) + "\n")
    print(json.dumps({"queries": len(queries)}))


if __name__ == "__main__":
    main()
