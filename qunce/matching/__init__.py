"""Expert matching: pure Python, no Django. Tokenize Chinese text, index expert profiles, rank
them for a request and say why. The Django app feeds it profiles and asks it questions."""

from .engine import Expert, Match, MatchIndex, SearchResult

__all__ = ["Expert", "Match", "MatchIndex", "SearchResult"]
