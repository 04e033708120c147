"""The ranker: dense (e5) scores of label variants fused with BM25 scores over labels, plus a prior.

For one sentence ``s`` and a candidate ``c``::

    dense(c)  = Σ_kind w_kind · max_{variants v of c of that kind} cos(e5(s), e5(v)) / Σ_kind w_kind
                (a candidate without a variant of some kind uses its label's cosine for that kind)
    lex(c)    = max over c's labels of BM25(s, label) / BM25(label, label)  (the share of the label the sentence
                covers, 0 … 1, words weighted by BM25: rare words count more)
    score(c)  = dense(c) + lexical_weight · lex(c) + prior_weight · prior(c)
    prior(c)  = (ln max(p, 1e-7) − ln 1e-7) / −ln 1e-7 for a label prior p > 0 (0 … 1), else 0

A text is split into sentences; a candidate scores as its best sentence, which is kept as the support.
All sentences of a batch of texts are encoded in one encoder call.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from skills4cities.matching.engine import encoder as encoders
from skills4cities.matching.engine.candidates import ALT, DESCRIPTION, KINDS, LABEL, LABEL_QUERY, Candidate
from skills4cities.matching.engine.text import split_sentences, words

SCORE_CHUNK = 64  # sentences scored at once: bounds the (sentences × variants) matrix


@dataclass(frozen=True)
class RankerConfig:
    """Weights tuned on the benchmark's validation files only (see ``docs/benchmarks.md``)."""

    kind_weights: tuple[tuple[str, float], ...] = ((LABEL, 1.0), (LABEL_QUERY, 0.0), (ALT, 0.0), (DESCRIPTION, 0.0))
    lexical_weight: float = 0.05
    prior_weight: float = 0.02
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    split: bool = False  # split texts into sentences (the pages and the API do; validation RP@5 is higher without)
    # How candidate sets are built from ESCO records (used by ``matching.services``): alternative labels
    # embedded per skill (all of them stay in the lexical index), and whether descriptions are embedded.
    # Embedded alternative labels lowered validation RP@5 (see docs/benchmarks.md), so none are by default.
    max_alternatives: int | None = 0
    descriptions: bool = False

    def weight(self, kind: str) -> float:
        return dict(self.kind_weights).get(kind, 0.0)


@dataclass(frozen=True)
class Match:
    uri: str
    label: str
    score: float
    sentence: str  # the sentence of the text that supports the match best
    index: int = field(default=-1, compare=False)  # the candidate's position in the ranker's list


class Ranker:
    def __init__(
        self,
        candidates: Sequence[Candidate],
        *,
        config: RankerConfig | None = None,
        cache_dir: Path | str | None = None,
        passage_encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
        query_encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
        model_id: str = encoders.MODEL_ID,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Index ``candidates``: embed their variants (or read the embeddings from ``cache_dir``), build BM25.

        ``passage_encoder``/``query_encoder``/``model_id`` replace the e5 model (tests use a cheap fake).
        """
        started = time.perf_counter()
        self.candidates = list(candidates)
        self.config = config or RankerConfig()
        self.query_encoder = query_encoder or encoders.encode_queries
        self.priors = prior_feature(np.array([candidate.prior for candidate in self.candidates], dtype=np.float64))
        self.dense: list[tuple[str, float, np.ndarray, np.ndarray, np.ndarray]] = []  # kind, w, matrix, starts, owners
        kinds = embedded_kinds(self.config)
        per_kind = {kind: kind_texts(self.candidates, kind) for kind in kinds}
        total = sum(len(texts) for texts, _owners in per_kind.values())
        done = 0
        for kind in kinds:
            texts, owners = per_kind[kind]
            offset = done

            def report(count: int, _total: int, offset: int = offset) -> None:
                if progress is not None:
                    progress(offset + count, total)

            matrix = encoders.cached_passages(
                texts,
                cache_dir=cache_dir,
                encoder=passage_encoder,
                model_id=model_id,
                progress=report,
                as_query=kind == LABEL_QUERY,
            )
            done += len(texts)
            owner_array = np.asarray(owners, dtype=np.int64)
            starts = np.flatnonzero(np.r_[True, owner_array[1:] != owner_array[:-1]]) if len(owners) else owner_array
            self.dense.append((kind, self.config.weight(kind), matrix, starts, owner_array[starts]))
        self._lexical_index(cache_dir)
        self.index_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self.candidates)

    # -- lexical ------------------------------------------------------------------------------------------------
    def _lexical_index(self, cache_dir: Path | str | None) -> None:
        """The BM25 index, read from ``cache_dir`` when cached there (keyed by the lexical texts and BM25 settings)."""
        path = lexical_path(self.candidates, self.config, cache_dir) if cache_dir is not None else None
        if path is not None and path.exists():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    self.bm25 = sparse.csr_matrix(
                        (stored["data"], stored["indices"], stored["indptr"]), shape=tuple(stored["shape"])
                    )
                    self.vocabulary = {word: column for column, word in enumerate(stored["vocabulary"].tolist())}
                    owners = stored["owners"]
                self._finish_lexical(owners)
                return
            except (OSError, ValueError, KeyError):
                pass  # a damaged file: build again and replace it
        self._build_lexical()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
            try:
                with os.fdopen(handle, "wb") as stream:
                    vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
                    np.savez(
                        stream,
                        data=self.bm25.data,
                        indices=self.bm25.indices,
                        indptr=self.bm25.indptr,
                        shape=np.asarray(self.bm25.shape),
                        vocabulary=np.asarray(vocabulary if vocabulary else [""], dtype=str),
                        owners=self._lexical_row_owners,
                    )
                os.chmod(temporary, 0o644)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise

    def _finish_lexical(self, owner_array: np.ndarray) -> None:
        self._lexical_row_owners = owner_array
        mass = np.asarray(self.bm25.sum(axis=1)).ravel()
        self.lexical_inverse_mass = np.divide(1.0, mass, out=np.zeros_like(mass), where=mass > 0).astype(np.float32)
        self.lexical_starts = (
            np.flatnonzero(np.r_[True, owner_array[1:] != owner_array[:-1]]) if len(owner_array) else owner_array
        )
        self.lexical_owners = owner_array[self.lexical_starts] if len(owner_array) else owner_array

    def _build_lexical(self) -> None:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[float] = []
        owners: list[int] = []
        lengths: list[int] = []
        for position, candidate in enumerate(self.candidates):
            for text in candidate.lexical or (candidate.label,):
                tokens = words(text)
                if not tokens:
                    continue
                row = len(owners)
                owners.append(position)
                lengths.append(len(tokens))
                for token, count in _counts(tokens).items():
                    rows.append(row)
                    cols.append(vocabulary.setdefault(token, len(vocabulary)))
                    counts.append(count)
        self.vocabulary = vocabulary
        documents = max(len(owners), 1)
        tf = sparse.csr_matrix((counts, (rows, cols)), shape=(len(owners), max(len(vocabulary), 1)), dtype=np.float32)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocabulary)).astype(np.float32)
        idf = np.log1p((documents - df + 0.5) / (df + 0.5)).astype(np.float32)
        length = np.asarray(lengths, dtype=np.float32)
        average = float(length.mean()) if len(length) else 1.0
        k1, b = self.config.bm25_k1, self.config.bm25_b
        norm = k1 * (1 - b + b * length / average)
        tf = tf.tocoo()
        values = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * idf[tf.col]
        self.bm25 = sparse.csr_matrix((values, (tf.row, tf.col)), shape=tf.shape, dtype=np.float32)
        self._finish_lexical(np.asarray(owners, dtype=np.int64))

    def _lexical_scores(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(sentences), len(self.candidates)), dtype=np.float32)
        if not len(self.lexical_owners):
            return out
        rows: list[int] = []
        cols: list[int] = []
        for row, sentence in enumerate(sentences):
            for token in set(words(sentence)):
                column = self.vocabulary.get(token)
                if column is not None:
                    rows.append(row)
                    cols.append(column)
        if not rows:
            return out
        query = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sentences), self.bm25.shape[1])
        )
        per_text = (self.bm25 @ query.T).T.toarray()  # sentences × lexical texts
        per_text *= self.lexical_inverse_mass  # the share of each label's BM25 mass the sentence covers
        out[:, self.lexical_owners] = np.maximum.reduceat(per_text, self.lexical_starts, axis=1)
        return out

    # -- scoring ------------------------------------------------------------------------------------------------
    def score_sentences(self, vectors: np.ndarray, sentences: Sequence[str]) -> np.ndarray:
        """Fused scores, one row per sentence, one column per candidate."""
        count = len(self.candidates)
        label_scores: np.ndarray | None = None
        total = np.zeros((len(sentences), count), dtype=np.float32)
        weights = 0.0
        for kind, weight, matrix, starts, owners in self.dense:
            if kind == LABEL:
                per_candidate = np.zeros((len(sentences), count), dtype=np.float32)
                if len(owners):
                    per_candidate[:, owners] = np.maximum.reduceat(vectors @ matrix.T, starts, axis=1)
                label_scores = per_candidate
            else:
                assert label_scores is not None
                per_candidate = label_scores.copy()
                if len(owners):
                    per_candidate[:, owners] = np.maximum.reduceat(vectors @ matrix.T, starts, axis=1)
            if weight > 0:
                total += weight * per_candidate
                weights += weight
        if weights:
            total /= weights
        if self.config.lexical_weight:
            total += self.config.lexical_weight * self._lexical_scores(sentences)
        if self.config.prior_weight:
            total += self.config.prior_weight * self.priors
        return total

    def rank(self, texts: Sequence[str], *, top: int = 10, split: bool | None = None) -> list[list[Match]]:
        """The ``top`` best candidates for each text, best first (texts without words get an empty list).

        ``split`` (default: the configuration's) ranks each sentence of a text and keeps its best.
        """
        split = self.config.split if split is None else split
        sentences: list[str] = []
        owner: list[int] = []
        for position, text in enumerate(texts):
            parts = split_sentences(text) if split else ([" ".join(text.split())] if text.strip() else [])
            sentences.extend(parts)
            owner.extend([position] * len(parts))
        results: list[list[Match]] = [[] for _ in texts]
        if not sentences or not self.candidates or top <= 0:
            return results
        vectors = self.query_encoder(sentences)
        owners = np.asarray(owner)
        best = np.full((len(texts), len(self.candidates)), -np.inf, dtype=np.float32)
        support = np.zeros((len(texts), len(self.candidates)), dtype=np.int64)
        one_per_text = owner == list(range(len(texts)))
        for start in range(0, len(sentences), SCORE_CHUNK):
            stop = min(start + SCORE_CHUNK, len(sentences))
            scores = self.score_sentences(vectors[start:stop], sentences[start:stop])
            if one_per_text:  # each text is one sentence: its scores are the text's
                best[start:stop] = scores
                support[start:stop] = np.arange(start, stop)[:, None]
                continue
            for row in range(stop - start):
                owner_text = int(owners[start + row])
                better = scores[row] > best[owner_text]
                best[owner_text][better] = scores[row][better]
                support[owner_text][better] = start + row
        k = min(top, len(self.candidates))
        for position in range(len(texts)):
            if not np.isfinite(best[position]).any():
                continue
            chosen = np.argpartition(-best[position], k - 1)[:k] if k < len(self.candidates) else np.arange(k)
            chosen = chosen[np.lexsort((chosen, -best[position][chosen]))]
            results[position] = [
                Match(
                    uri=self.candidates[index].uri,
                    label=self.candidates[index].label,
                    score=round(float(best[position][index]), 4),
                    sentence=sentences[support[position][index]],
                    index=int(index),
                )
                for index in chosen
            ]
        return results


def embedded_kinds(config: RankerConfig) -> list[str]:
    """The variant kinds a ranker embeds: the label always (the fallback of every other kind), others when weighted."""
    return [kind for kind in KINDS if config.weight(kind) > 0 or kind == LABEL]


def kind_texts(candidates: Sequence[Candidate], kind: str) -> tuple[list[str], list[int]]:
    """The texts embedded for ``kind`` (``label_query`` embeds the labels as queries) and each one's candidate."""
    source = LABEL if kind == LABEL_QUERY else kind
    texts: list[str] = []
    owners: list[int] = []
    for position, candidate in enumerate(candidates):
        for variant in candidate.variants:
            if variant.kind == source:
                texts.append(variant.text)
                owners.append(position)
    return texts, owners


def lexical_path(candidates: Sequence[Candidate], config: RankerConfig, cache_dir: Path | str) -> Path:
    """The cache file of the BM25 index (keyed by the lexical texts and the BM25 settings)."""
    texts = [f"{position}\t{text}" for position, c in enumerate(candidates) for text in c.lexical or (c.label,)]
    key = encoders.cache_key(texts, model_id=f"bm25-v1|{config.bm25_k1}|{config.bm25_b}")
    return Path(cache_dir) / f"{key}.bm25.npz"


PRIOR_FLOOR = 1e-7


def prior_feature(priors: np.ndarray) -> np.ndarray:
    """Priors (probabilities, 0 when unknown) on a log scale: 0 for unknown or ≤ 1e-7, 1 for a prior of 1."""
    scaled = (np.log(np.maximum(priors, PRIOR_FLOOR)) - math.log(PRIOR_FLOOR)) / -math.log(PRIOR_FLOOR)
    return np.where(priors > 0, scaled, 0.0).astype(np.float32)


def _counts(tokens: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    return counts
