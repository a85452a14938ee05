"""Expert matching quality and speed (issue 4), with no database.

    .venv/bin/python bench/matching.py --pool ../shared/bench/matching/pool.jsonl \
        --queries ../shared/bench/matching/queries-dev.jsonl --out rankings.jsonl

Ranks the top 10 profiles for each query with qunce.matching and, in the same run, with the
naive ranker of the benchmark's README (shared character bigrams), and prints nDCG@10, MRR and
Recall@10 overall and per source for both; last, one JSON object of the figures."""

import argparse
import json
import math
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qunce.matching import Expert, MatchIndex
from qunce.matching.tokenize import normalize


def load_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    pool, queries = load_jsonl(args.pool), load_jsonl(args.queries)
    started = time.perf_counter()
    index = MatchIndex()
    for profile in pool:
        index.add(
            Expert(
                id=profile["id"],
                discipline=profile["discipline"],
                keywords=profile["keywords"],
                works=profile["works"],
            )
        )
    build_seconds = time.perf_counter() - started

    rankings, timings = {}, []
    for query in queries:
        started = time.perf_counter()
        matches = index.search(query["text"], limit=10)
        timings.append((time.perf_counter() - started) * 1000)
        rankings[query["id"]] = [match.expert_id for match in matches]
    with open(args.out, "w", encoding="utf-8") as handle:
        for query in queries:
            handle.write(
                json.dumps({"query_id": query["id"], "ranked": rankings[query["id"]]}) + "\n"
            )

    naive = NaiveRanker(pool)
    naive_rankings = {query["id"]: naive.rank(query["text"]) for query in queries}
    ours, baseline = evaluate(rankings, queries), evaluate(naive_rankings, queries)
    print(
        f"{'source':<10} {'queries':>7}  {'nDCG@10':>15}  {'MRR':>15}  {'Recall@10':>15}   (qunce / naive)"
    )
    counts = defaultdict(int)
    for query in queries:
        counts[query["source"]] += 1
        counts["all"] += 1
    for source in sorted(ours, key=lambda s: (s == "all", s)):
        cells = [
            f"{ours[source][m]:.3f} / {baseline[source][m]:.3f}"
            for m in ("ndcg@10", "mrr", "recall@10")
        ]
        print(f"{source:<10} {counts[source]:>7}  {cells[0]:>15}  {cells[1]:>15}  {cells[2]:>15}")
    timings.sort()
    figures = {
        "ndcg@10": ours["all"]["ndcg@10"],
        "mrr": ours["all"]["mrr"],
        "recall@10": ours["all"]["recall@10"],
        "naive_ndcg@10": baseline["all"]["ndcg@10"],
        "naive_mrr": baseline["all"]["mrr"],
        "naive_recall@10": baseline["all"]["recall@10"],
        "ndcg_ratio": round(ours["all"]["ndcg@10"] / baseline["all"]["ndcg@10"], 3),
        "build_s": round(build_seconds, 2),
        "p50_query_ms": round(timings[len(timings) // 2], 2),
        "p95_query_ms": round(timings[max(0, math.ceil(len(timings) * 0.95) - 1)], 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "queries": len(queries),
        "profiles": len(pool),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
