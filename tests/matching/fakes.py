"""A cheap deterministic stand-in for the e5 encoder: hashed character trigrams, L2-normalised."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from skills4cities.matching.engine.encoder import DIMENSIONS
from skills4cities.matching.engine.text import fold

FAKE_MODEL = "fake-trigrams-v1"


def _bucket(gram: str) -> int:
    return int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little") % DIMENSIONS


def fake_encode(texts: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        padded = f"  {fold(text)}  "
        for start in range(len(padded) - 2):
            out[row, _bucket(padded[start : start + 3])] += 1.0
        norm = np.linalg.norm(out[row])
        if norm:
            out[row] /= norm
    return out


class CountingEncoder:
    """Counts the texts it encoded (to see whether the cache was used)."""

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return fake_encode(texts)
