"""Benchmark: the skill-extraction benchmark (Decorte et al.) through the ranker of ``match_text --labels``.

Usage:
    .venv/bin/python bench/matching_eval.py [--split validation|test|all] [--labels FILE] [--data-dir DIR]
                                            [--variants] [--write-docs]

Protocol (``../shared/data/README.md``): rows of each ``*_annotations.csv`` are grouped by sentence; the gold
labels of a sentence are its labels other than ``LABEL NOT PRESENT`` and ``UNDERSPECIFIED``; sentences without
gold are skipped. The ranker ranks the fixed candidate list ``skills_en_label.txt`` (built exactly as
``skills4cities match_text --labels FILE`` builds it: ``matching.services.label_ranker``).
RP@K = |top-K ∩ gold| / min(K, |gold|), averaged over sentences; MRR over the top 100 (0 when no gold label is
in the top 100). Tuning happened on the validation files only; the test files are for reporting.

Also measured, in the same process: the cold index time (encoding every label variant, into a temporary cache
folder — only with ``--cold``), the warm index time (reading the cached embeddings), and throughput: sentences
per second of the whole ranker (``Ranker.rank``) against the query encoder alone on the same sentences, warm,
two threads. ``--variants`` prints validation RP@5 for the variants that were tried (validation only).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "skill-extraction"
NOT_GOLD = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}
SETS = {
    "validation": [("TECH", "tech_validation"), ("HOUSE", "house_validation")],
    "test": [("TECH", "tech_test"), ("HOUSE", "house_test"), ("TECHWOLF", "techwolf_test")],
}
PUBLISHED = {"TECH": 63.13, "HOUSE": 57.83, "TECHWOLF": 58.69}  # Infer-Retrieve-Rank (RP@5)
MRR_DEPTH = 100


def read_annotations(path: Path) -> list[tuple[str, set[str]]]:
    """(sentence, gold labels) in file order, sentences without gold dropped."""
    gold: dict[str, set[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            labels = gold.setdefault(row["sentence"], set())
            label = " ".join((row.get("label") or "").split())
            if label and label not in NOT_GOLD:
                labels.add(label)
    return [(sentence, labels) for sentence, labels in gold.items() if labels]


def evaluate(ranker: Any, items: list[tuple[str, set[str]]]) -> dict[str, float]:
    rankings = ranker.rank([sentence for sentence, _gold in items], top=MRR_DEPTH)
    rp5 = rp10 = mrr = 0.0
    for (_sentence, gold), matches in zip(items, rankings, strict=True):
        labels = [match.label for match in matches]
        rp5 += len(set(labels[:5]) & gold) / min(5, len(gold))
        rp10 += len(set(labels[:10]) & gold) / min(10, len(gold))
        mrr += next((1 / rank for rank, label in enumerate(labels, 1) if label in gold), 0.0)
    count = max(len(items), 1)
    return {"sentences": len(items), "rp5": 100 * rp5 / count, "rp10": 100 * rp10 / count, "mrr": 100 * mrr / count}


def throughput(ranker: Any, sentences: list[str]) -> dict[str, float]:
    from skills4cities.matching.engine import encoder

    ranker.rank(sentences[:32], top=10)  # warm both paths
    encoder.encode_queries(sentences[:32])
    runs: dict[str, float] = {"encoder": float("inf"), "ranker": float("inf")}
    for _ in range(2):  # best of two, interleaved
        started = time.perf_counter()
        encoder.encode_queries(sentences)
        runs["encoder"] = min(runs["encoder"], time.perf_counter() - started)
        started = time.perf_counter()
        ranker.rank(sentences, top=10)
        runs["ranker"] = min(runs["ranker"], time.perf_counter() - started)
    return {
        "sentences": len(sentences),
        "encoder_per_s": len(sentences) / runs["encoder"],
        "ranker_per_s": len(sentences) / runs["ranker"],
        "ratio": runs["encoder"] / runs["ranker"],
    }


LABEL_ONLY = (("label", 1.0),)
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("dense: preferred label only", {"kind_weights": LABEL_ONLY, "lexical_weight": 0.0, "prior_weight": 0.0}),
    (
        "dense: label + up to 4 alternative labels (max per kind, weight 0.5)",
        {
            "kind_weights": (("label", 1.0), ("alt", 0.5)),
            "max_alternatives": 4,
            "lexical_weight": 0.0,
            "prior_weight": 0.0,
        },
    ),
    ("dense label + BM25 label coverage (0.05)", {"prior_weight": 0.0}),
    ("dense label + BM25 + log prior (0.02), sentences whole: shipped", {}),
    (
        "shipped + alternative labels in the dense score (0.25)",
        {"kind_weights": (("label", 1.0), ("alt", 0.25)), "max_alternatives": 4},
    ),
    ("shipped, but each sentence split further at ; : and bullets", {"split": True}),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["validation", "test", "all"], default="all")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--labels", type=Path, default=None, help="default: DATA/skills_en_label.txt")
    parser.add_argument(
        "--priors",
        type=Path,
        default=None,
        help="label priors (default: DATA/esco_priors.json; 'none' for no priors); match_text reads the same "
        "file from the setting MATCHING_LABEL_PRIORS",
    )
    parser.add_argument("--cold", action="store_true", help="also time a cold index build (minutes)")
    parser.add_argument("--variants", action="store_true", help="validation RP@5 of the variants tried")
    parser.add_argument("--write-docs", action="store_true", help="write the results into docs/benchmarks.md")
    args = parser.parse_args(argv)
    labels_path = args.labels or args.data_dir / "skills_en_label.txt"

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skills4cities.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.conf import settings

    from skills4cities.matching import services

    priors = args.priors or args.data_dir / "esco_priors.json"
    settings.MATCHING_LABEL_PRIORS = "" if str(priors) == "none" else str(priors)

    cold_seconds = None
    if args.cold:
        with tempfile.TemporaryDirectory(prefix="matching-cold-") as folder:
            started = time.perf_counter()
            services.label_ranker(labels_path, cache_dir=Path(folder), reuse=False)
            cold_seconds = time.perf_counter() - started
    services.label_ranker(labels_path)  # make sure the cache exists
    started = time.perf_counter()
    ranker = services.label_ranker(labels_path, reuse=False)
    warm_seconds = time.perf_counter() - started

    splits = ["validation", "test"] if args.split == "all" else [args.split]
    results: list[tuple[str, str, dict[str, float]]] = []
    every_sentence: list[str] = []
    for split in splits:
        for name, stem in SETS[split]:
            items = read_annotations(args.data_dir / f"{stem}_annotations.csv")
            every_sentence += [sentence for sentence, _gold in items]
            results.append((split, name, evaluate(ranker, items)))
    speed = throughput(ranker, every_sentence[:400])

    variant_rows: list[tuple[str, float, float]] = []
    if args.variants:
        validation = {
            name: read_annotations(args.data_dir / f"{stem}_annotations.csv") for name, stem in SETS["validation"]
        }
        for title, change in VARIANTS:
            trial = services.label_ranker(labels_path, config=replace(ranker.config, **change), reuse=False)
            scores = [evaluate(trial, items)["rp5"] for items in validation.values()]
            variant_rows.append((title, scores[0], scores[1]))

    report = render(results, speed, cold_seconds, warm_seconds, ranker, variant_rows, len(ranker), argv)
    print(report)
    if args.write_docs:
        write_docs(report)
    return 0


def render(
    results: list[tuple[str, str, dict[str, float]]],
    speed: dict[str, float],
    cold: float | None,
    warm: float,
    ranker: Any,
    variants: list[tuple[str, float, float]],
    candidates: int,
    argv: list[str] | None,
) -> str:
    command = " ".join(["  .venv/bin/python bench/matching_eval.py", *(argv if argv is not None else sys.argv[1:])])
    lines = [
        "## Text to competences: skill-extraction benchmark (`bench/matching_eval.py`)",
        "",
        f"Candidates: the {candidates:,} labels of `skills_en_label.txt`, ranked by the ranker of "
        "`skills4cities match_text --labels` (`matching.services.label_ranker`). Configuration: "
        f"`{ranker.config}`. Tuned on the validation files only; TECHWOLF has no validation file and was never "
        f"tuned on. MRR over the top {MRR_DEPTH}.",
        "",
        "| Split | Data set | Sentences | RP@5 | RP@10 | MRR | Best published RP@5 (IReRa, LLM) |",
        "|---|---|---|---|---|---|---|",
    ]
    for split, name, figures in results:
        published = f"{PUBLISHED[name]:.2f}" if split == "test" else "–"
        lines.append(
            f"| {split} | {name} | {figures['sentences']:.0f} | {figures['rp5']:.2f} | {figures['rp10']:.2f} | "
            f"{figures['mrr']:.2f} | {published} |"
        )
    lines += [
        "",
        "| Throughput (warm, 2 threads, same sentences, same run) | sentences/s |",
        "|---|---|",
        f"| query encoder alone (floor) | {speed['encoder_per_s']:.1f} |",
        f"| whole ranker (encode + dense + BM25 + fusion + top-k) | {speed['ranker_per_s']:.1f} |",
        f"| ratio ranker / encoder (target ≥ 80 %) | {100 * speed['ratio']:.0f} % |",
        "",
        f"Index: cold build {f'{cold:.0f} s' if cold is not None else 'not measured in this run'} (target ≤ 10 min), "
        f"warm load from the cache {warm:.2f} s (target ≤ 1 s).",
    ]
    if variants:
        lines += ["", "What was tried (validation RP@5 only):", "", "| Variant | TECH | HOUSE |", "|---|---|---|"]
        lines += [f"| {title} | {tech:.2f} | {house:.2f} |" for title, tech, house in variants]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines += [
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; load average {load}. Command:",
        "",
        "```",
        command,
        "```",
    ]
    return "\n".join(lines)


def write_docs(report: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    section = f"<!-- matching:start -->\n{report}\n<!-- matching:end -->"
    pattern = re.compile(r"<!-- matching:start -->.*?<!-- matching:end -->", re.S)
    text = (
        pattern.sub(lambda _match: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    )
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
