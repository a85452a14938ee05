"""Rank experts for a request: BM25 over their works, keywords and summary, sharpened by what the
whole pool teaches about which discipline a request belongs to, then adjusted for the expert's
confirmation, load and ratings. Profiles are added and removed one at a time (no rebuild)."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .tokenize import terms

# How much each field's text counts, and how much a word counts against a character bigram.
FIELD_WEIGHTS = {"works": 1.0, "keywords": 1.4, "summary": 0.6, "discipline": 0.6}
TERM_WEIGHTS = {"w": 1.0, "b": 0.8}
# Light length normalization: an expert with many works is not a worse match for having them.
K1, B = 1.2, 0.4
# A request's likely disciplines, learned from the pool, raise the experts in them by up to this.
DISCIPLINE_BOOST = 0.6
CONFIRMED_BOOST = 1.08
BUSY_FACTOR = 0.75
LOAD_PENALTY = 0.12  # per open request already carried


@dataclass
class Expert:
    id: str
    discipline: str = ""
    keywords: list[str] = field(default_factory=list)
    works: list[str] = field(default_factory=list)
    summary: str = ""
    confirmed: bool = False
    busy: bool = False
    open_requests: int = 0
    rating: float | None = None  # mean satisfaction, 1 to 5


@dataclass
class Match:
    expert_id: str
    score: float
    matched_terms: list[str]
    reasons: list[str]


@dataclass
class _Document:
    expert: Expert
    lengths: dict
    term_fields: dict  # term -> {field: tf}


class MatchIndex:
    def __init__(self):
        self._documents = {}
        self._postings = defaultdict(dict)  # term -> {expert id: {field: tf}}
        self._total_length = Counter()  # field -> sum of lengths
        self._discipline_counts = defaultdict(Counter)  # term -> {discipline: documents}

    def __len__(self):
        return len(self._documents)

    # -- keeping the index current ---------------------------------------------------------

    def add(self, expert):
        """Index a profile, replacing an earlier version of it."""
        self.remove(expert.id)
        field_texts = {
            "works": " ".join(expert.works),
            "keywords": " ".join(expert.keywords),
            "summary": expert.summary,
            "discipline": expert.discipline,
        }
        term_fields = defaultdict(dict)
        lengths = {}
        for name, text in field_texts.items():
            counted = Counter(terms(text))
            lengths[name] = sum(counted.values())
            self._total_length[name] += lengths[name]
            for term, tf in counted.items():
                term_fields[term][name] = tf
        for term, fields in term_fields.items():
            self._postings[term][expert.id] = fields
            if expert.discipline and ("works" in fields or "keywords" in fields):
                self._discipline_counts[term][expert.discipline] += 1
        self._documents[expert.id] = _Document(expert, lengths, dict(term_fields))

    def remove(self, expert_id):
        document = self._documents.pop(expert_id, None)
        if document is None:
            return
        for name, length in document.lengths.items():
            self._total_length[name] -= length
        discipline = document.expert.discipline
        for term, fields in document.term_fields.items():
            postings = self._postings[term]
            postings.pop(expert_id, None)
            if not postings:
                del self._postings[term]
            if discipline and ("works" in fields or "keywords" in fields):
                counts = self._discipline_counts[term]
                counts[discipline] -= 1
                if counts[discipline] <= 0:
                    del counts[discipline]
                if not counts:
                    del self._discipline_counts[term]

    def update_standing(self, expert_id, **standing):
        """Fresh load, rating, availability or confirmation for an indexed expert; the text
        index is untouched."""
        document = self._documents.get(expert_id)
        if document is not None:
            for name, value in standing.items():
                setattr(document.expert, name, value)

    # -- asking ------------------------------------------------------------------------------

    def idf(self, term):
        documents = len(self._documents)
        frequency = len(self._postings.get(term, ()))
        return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))

    def likely_disciplines(self, query_terms):
        """Disciplines weighted by how strongly the query's terms point at them in the pool."""
        scores = Counter()
        for term in query_terms:
            counts = self._discipline_counts.get(term)
            if not counts:
                continue
            total = sum(counts.values())
            weight = self.idf(term) * TERM_WEIGHTS[term[0]]
            for discipline, count in counts.items():
                scores[discipline] += weight * count / total
        if not scores:
            return {}
        top = max(scores.values())
        return {discipline: score / top for discipline, score in scores.items()}

    def search(self, text, *, limit=10, discipline_affinity=None):
        """The `limit` best experts for `text`, with reasons. `discipline_affinity` maps
        disciplines to a weight in 0..1 (e.g. from the request's industry)."""
        query = Counter(terms(text))
        if not query or not self._documents:
            return []
        averages = {
            name: (total / len(self._documents)) or 1 for name, total in self._total_length.items()
        }
        text_scores = Counter()
        for term, query_tf in query.items():
            postings = self._postings.get(term)
            if not postings:
                continue
            weight = self.idf(term) * TERM_WEIGHTS[term[0]] * (1 + math.log(query_tf))
            for expert_id, fields in postings.items():
                lengths = self._documents[expert_id].lengths
                for name, tf in fields.items():
                    norm = K1 * (1 - B + B * lengths[name] / averages[name])
                    text_scores[expert_id] += (
                        FIELD_WEIGHTS[name] * weight * tf * (K1 + 1) / (tf + norm)
                    )
        if not text_scores:
            return []
        likely = self.likely_disciplines(query)
        if discipline_affinity:
            for discipline, affinity in discipline_affinity.items():
                likely[discipline] = max(likely.get(discipline, 0), affinity)
        best = max(text_scores.values())
        ranked = []
        for expert_id, score in text_scores.items():
            expert = self._documents[expert_id].expert
            total = score / best + DISCIPLINE_BOOST * likely.get(expert.discipline, 0)
            ranked.append((total * _standing(expert), expert_id))
        ranked.sort(reverse=True)
        return [
            self._explain(expert_id, score, query, likely) for score, expert_id in ranked[:limit]
        ]

    def _explain(self, expert_id, score, query, likely):
        document = self._documents[expert_id]
        expert = document.expert
        matched = sorted(
            (term for term in query if term in document.term_fields),
            key=lambda term: -self.idf(term) * TERM_WEIGHTS[term[0]],
        )
        words = [term[2:] for term in matched if term.startswith("w:")][:6]
        reasons = []
        if words:
            reasons.append("专长匹配：" + "、".join(words))
        if likely.get(expert.discipline, 0) >= 0.5:
            reasons.append(f"学科相关：{expert.discipline}")
        if expert.confirmed:
            reasons.append("档案经单位确认")
        if expert.busy:
            reasons.append("当前繁忙")
        if expert.open_requests:
            reasons.append(f"在办需求 {expert.open_requests} 项")
        if expert.rating is not None:
            reasons.append(f"以往评分 {expert.rating:.1f}")
        return Match(
            expert_id=expert_id, score=round(score, 4), matched_terms=words, reasons=reasons
        )


def _standing(expert):
    """Confirmation, load and ratings: small factors that reorder close candidates."""
    factor = CONFIRMED_BOOST if expert.confirmed else 1.0
    if expert.busy:
        factor *= BUSY_FACTOR
    factor /= 1 + LOAD_PENALTY * expert.open_requests
    if expert.rating is not None:
        factor *= 0.9 + 0.04 * max(min(expert.rating, 5), 1)
    return factor
