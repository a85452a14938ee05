"""Expert matching quality and speed (issues 4 and 12), with no database.

    .venv/bin/python bench/matching.py --pool ../shared/bench/matching/pool.jsonl \
        --queries ../shared/bench/matching/queries-dev.jsonl --out var/rankings.jsonl

In one run, side by side with the naive ranker of the benchmark's README (shared character
bigrams):

1. the validation set (`matching_validation.py`): its queries' works are taken out of the pool
   before indexing; every method and setting of qunce.matching was chosen by this set;
2. the shared development queries, over the whole pool, for the record;
3. speed and memory at 15,766 profiles (build, persisted load, p95 query with explanations,
   peak) and at 100,000 (the pool replicated with perturbed names and institutions).

Each measured index lives in its own process, so each peak is its own. The last line is one
JSON object of the figures."""

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _pool import load_jsonl, load_pool

from qunce.matching.tokenize import normalize

SOURCES = ("csl", "nsfc-life", "nsfc-mgmt", "nssfc")
METRICS = ("ndcg@10", "mrr", "recall@10")
SCALE_PROFILES = 100_000


def experts_of(pool):
    from qunce.matching import Expert

    return [
        Expert(
            id=profile["id"],
            discipline=profile["discipline"],
            keywords=profile["keywords"],
            works=profile["works"],
        )
        for profile in pool
    ]


def ndcg_at_10(ranked, relevant):
    gains = [2 ** relevant.get(item, 0) - 1 for item in ranked[:10]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted((2**grade - 1 for grade in relevant.values()), reverse=True)[:10]
    idcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked, relevant):
    for rank, item in enumerate(ranked, start=1):
        if relevant.get(item) == 2:
            return 1 / rank
    return 0.0


def recall_at_10(ranked, relevant):
    best = [item for item, grade in relevant.items() if grade == 2]
    return sum(item in ranked[:10] for item in best) / len(best) if best else 0.0


def evaluate(rankings, queries):
    per_source = defaultdict(lambda: defaultdict(list))
    for query in queries:
        ranked = rankings.get(query["id"], [])
        for source in (query["source"], "all"):
            figures = per_source[source]
            figures["ndcg@10"].append(ndcg_at_10(ranked, query["relevant"]))
            figures["mrr"].append(reciprocal_rank(ranked, query["relevant"]))
            figures["recall@10"].append(recall_at_10(ranked, query["relevant"]))
    return {
        source: {metric: round(statistics.mean(values), 4) for metric, values in figures.items()}
        | {"queries": len(figures["mrr"])}
        for source, figures in per_source.items()
    }


class NaiveRanker:
    """The README's baseline: how many of the query's character bigrams occur in a profile's
    discipline, keywords or works."""

    def __init__(self, pool):
        self.profiles = [
            (
                profile["id"],
                normalize(
                    " ".join([profile["discipline"], *profile["keywords"], *profile["works"]])
                ),
            )
            for profile in pool
        ]

    def rank(self, text):
        text = normalize(text)
        grams = {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}
        scored = [(sum(gram in blob for gram in grams), pid) for pid, blob in self.profiles]
        scored = [(score, pid) for score, pid in scored if score]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [pid for _, pid in scored[:10]]


def scaled_pool(pool, size):
    """The pool replicated up to `size` profiles: new ids, names and institutions perturbed,
    works and keywords as they are (enough for timing)."""
    profiles = list(pool)
    copy = 1
    while len(profiles) < size:
        for profile in pool:
            if len(profiles) >= size:
                break
            profiles.append(
                {
                    **profile,
                    "id": f"S{copy}-{profile['id']}",
                    "name": profile.get("name", "") + "甲乙丙丁戊己庚辛"[copy % 8],
                    "institution": (profile.get("institution") or "") + f"（第{copy}分部）",
                }
            )
        copy += 1
    return profiles


# -- one measured index, in its own process ----------------------------------------------------


def measure(pool_path, queries_path, hold_out, scale, out):
    """Build, persist, load and query one index; write rankings and figures to `out`."""
    from qunce.matching import MatchIndex

    pool, _ = load_pool(pool_path)
    queries = load_jsonl(queries_path) if queries_path else []
    if hold_out:
        from matching_validation import build_validation

        pool, queries = build_validation(pool, size=hold_out)
    if scale:
        pool = scaled_pool(pool, scale)
    experts = experts_of(pool)
    started = time.perf_counter()
    index = MatchIndex.build(experts)
    build_seconds = time.perf_counter() - started
    data = index.to_bytes()
    started = time.perf_counter()
    index = MatchIndex.from_bytes(data)
    load_seconds = time.perf_counter() - started

    rankings, timings = {}, []
    for query in queries:
        started = time.perf_counter()
        result = index.search(query["text"], limit=10)
        timings.append((time.perf_counter() - started) * 1000)
        rankings[query["id"]] = [match.expert_id for match in result.matches]
    timings.sort()
    figures = {
        "profiles": len(pool),
        "training_queries": index.training_queries,
        "build_s": round(build_seconds, 2),
        "load_s": round(load_seconds, 2),
        "stored_mb": round(len(data) / 2**20, 1),
        "p50_query_ms": round(timings[len(timings) // 2], 2) if timings else None,
        "p95_query_ms": round(timings[max(0, math.ceil(len(timings) * 0.95) - 1)], 2)
        if timings
        else None,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    Path(out).write_text(
        json.dumps({"figures": figures, "rankings": rankings, "queries": queries}),
        encoding="utf-8",
    )


def run_measure(args, *, queries=None, hold_out=0, scale=0):
    out = Path(args.work) / f"measure-{hold_out}-{scale}.json"
    command = [sys.executable, __file__, "--pool", args.pool, "--measure", str(out)]
    command += ["--measure-queries", queries] if queries else []
    command += ["--hold-out", str(hold_out)] if hold_out else []
    command += ["--scale", str(scale)] if scale else []
    subprocess.run(command, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def print_table(title, ours, naive):
    print(f"\n{title}")
    print(
        f"{'source':<10} {'queries':>7}  {'nDCG@10':>15}  {'MRR':>15}  {'Recall@10':>15}  "
        f"{'nDCG ratio':>10}   (qunce / naive)"
    )
    for source in (*SOURCES, "all"):
        if source not in ours:
            continue
        cells = [f"{ours[source][m]:.3f} / {naive[source][m]:.3f}" for m in METRICS]
        ratio = ndcg_ratio(ours, naive, source) or 0
        print(
            f"{source:<10} {ours[source]['queries']:>7}  {cells[0]:>15}  {cells[1]:>15}  "
            f"{cells[2]:>15}  {ratio:>10.2f}"
        )


def headline(ours, naive, *, prefix):
    """The overall figures, the naive ranker's, and the nDCG@10 ratio overall and per source."""
    return (
        {f"{prefix}{metric}": ours["all"][metric] for metric in METRICS}
        | {f"{prefix}naive_{metric}": naive["all"][metric] for metric in METRICS}
        | {f"{prefix}ndcg_ratio": ndcg_ratio(ours, naive, "all")}
        | {
            f"{prefix}{source}_ndcg_ratio": ndcg_ratio(ours, naive, source)
            for source in SOURCES
            if source in ours
        }
    )


def ndcg_ratio(ours, naive, source):
    baseline = naive[source]["ndcg@10"]
    return round(ours[source]["ndcg@10"] / baseline, 3) if baseline else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", required=True)
    parser.add_argument("--queries", help="the shared development queries")
    parser.add_argument("--out", help="where to write the dev rankings as JSONL")
    parser.add_argument("--validation-size", type=int, default=3000)
    parser.add_argument("--scale-profiles", type=int, default=SCALE_PROFILES)
    parser.add_argument("--work", default="var")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--measure-queries", help=argparse.SUPPRESS)
    parser.add_argument("--hold-out", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.pool, args.measure_queries, args.hold_out, args.scale, args.measure)
        return
    Path(args.work).mkdir(parents=True, exist_ok=True)
    pool, skipped = load_pool(args.pool)
    print(f"pool: {len(pool)} profiles ({skipped} lines skipped)")

    validation = run_measure(args, hold_out=args.validation_size)
    from matching_validation import build_validation

    reduced, _ = build_validation(pool, size=args.validation_size)
    val_queries = validation["queries"]
    naive = NaiveRanker(reduced)
    val_ours = evaluate(validation["rankings"], val_queries)
    val_naive = evaluate({q["id"]: naive.rank(q["text"]) for q in val_queries}, val_queries)
    print_table(
        f"validation set: {len(val_queries)} queries held out of the pool", val_ours, val_naive
    )

    figures = {}
    if args.queries:
        dev = run_measure(args, queries=args.queries)
        dev_queries = dev["queries"]
        naive = NaiveRanker(pool)
        dev_ours = evaluate(dev["rankings"], dev_queries)
        dev_naive = evaluate({q["id"]: naive.rank(q["text"]) for q in dev_queries}, dev_queries)
        print_table(f"development queries: {len(dev_queries)}", dev_ours, dev_naive)
        if args.out:
            with open(args.out, "w", encoding="utf-8") as handle:
                for query in dev_queries:
                    ranked = dev["rankings"][query["id"]]
                    handle.write(json.dumps({"query_id": query["id"], "ranked": ranked}) + "\n")
        figures.update(headline(dev_ours, dev_naive, prefix=""))
        speed = dev["figures"]
    else:
        speed = run_measure(args)["figures"]
    figures.update(headline(val_ours, val_naive, prefix="val_") | {"val_queries": len(val_queries)})
    figures.update(
        {
            key: speed[key]
            for key in ("build_s", "load_s", "stored_mb", "p50_query_ms", "p95_query_ms", "peak_mb")
        }
        | {"profiles": speed["profiles"], "training_queries": speed["training_queries"]}
    )
    if args.scale_profiles:
        scale = run_measure(args, queries=args.queries, scale=args.scale_profiles)["figures"]
        print(f"\n{scale['profiles']} profiles: {json.dumps(scale)}")
        figures.update({f"scale_{key}": value for key, value in scale.items()})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
