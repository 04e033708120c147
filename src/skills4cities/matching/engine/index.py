"""Which cache files a ``Ranker`` reads for a candidate set, computed without encoding anything.

``index_files(candidates, …)`` names every file ``Ranker(candidates, …)`` reads from (or writes to) its cache
folder: one ``.npy`` per embedded variant kind and the ``.bm25.npz`` lexical index, through the same functions
the ranker uses (``ranker.embedded_kinds``, ``kind_texts``, ``lexical_path``, ``encoder.embedding_path``).
When all of them exist, building the ranker only reads files (well under a second); when one is missing, it
encodes (minutes for all of ESCO on two cores).
``tests/matching/test_index.py`` builds rankers and checks that these are exactly the files they write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skills4cities.matching.engine import encoder as encoders
from skills4cities.matching.engine.candidates import LABEL_QUERY, Candidate
from skills4cities.matching.engine.ranker import RankerConfig, embedded_kinds, kind_texts, lexical_path


@dataclass(frozen=True)
class IndexFiles:
    """The cache files of one candidate set, and how many texts building them encodes."""

    paths: tuple[Path, ...]
    texts: int  # texts embedded when no file is cached (the ``total`` of the ranker's progress)

    @property
    def key(self) -> str:
        """A digest of the file names: names one index (a candidate set, configuration and model)."""
        digest = hashlib.sha256()
        for path in self.paths:
            digest.update(path.name.encode())
            digest.update(b"\x00")
        return digest.hexdigest()[:40]

    def missing(self) -> list[Path]:
        return [path for path in self.paths if not path.is_file()]

    def ready(self) -> bool:
        return not self.missing()


def index_files(
    candidates: Sequence[Candidate],
    *,
    config: RankerConfig,
    cache_dir: Path | str,
    model_id: str = encoders.MODEL_ID,
) -> IndexFiles:
    """The files ``Ranker(candidates, config=config, cache_dir=cache_dir, model_id=model_id)`` reads."""
    paths: list[Path] = []
    total = 0
    for kind in embedded_kinds(config):
        texts, _owners = kind_texts(candidates, kind)
        total += len(texts)
        if texts:  # an empty kind is never cached
            paths.append(
                encoders.embedding_path(texts, cache_dir=cache_dir, model_id=model_id, as_query=kind == LABEL_QUERY)
            )
    paths.append(lexical_path(candidates, config, cache_dir))
    return IndexFiles(paths=tuple(paths), texts=total)
