from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from skills4cities.matching.engine import Candidate, Ranker, RankerConfig
from skills4cities.matching.engine.candidates import ALT, DESCRIPTION, LABEL, Variant
from skills4cities.matching.engine.encoder import cache_key, cached_passages
from skills4cities.matching.engine.sources import SkillRecord, label_candidates, read_labels
from tests.matching.fakes import FAKE_MODEL, CountingEncoder, fake_encode

SKILLS = [
    Candidate.build(uri="u:budget", label="manage budgets", alternatives=["control budgets", "budget management"]),
    Candidate.build(uri="u:python", label="Python (computer programming)", alternatives=["Python"]),
    Candidate.build(uri="u:aid", label="provide first aid", descriptions=["provide first aid: help injured people"]),
    Candidate.build(uri="u:forklift", label="operate forklift", alternatives=["drive forklift truck"]),
    Candidate.build(uri="u:bread", label="bake bread", alternatives=["bake loaves"]),
]


def ranker(candidates: list[Candidate] = SKILLS, config: RankerConfig | None = None, **kwargs: object) -> Ranker:
    return Ranker(
        candidates,
        config=config,
        passage_encoder=kwargs.pop("passage_encoder", fake_encode),  # type: ignore[arg-type]
        query_encoder=fake_encode,
        model_id=FAKE_MODEL,
        **kwargs,  # type: ignore[arg-type]
    )


def test_candidate_build_keeps_distinct_variants_in_order() -> None:
    candidate = Candidate.build(
        uri="u", label=" manage  budgets ", alternatives=["Manage budgets", "control budgets", "", "control budgets"],
        descriptions=["manage budgets: plan money"],
    )  # fmt: skip
    assert candidate.label == "manage budgets"
    assert candidate.variants == (
        Variant(LABEL, "manage budgets"),
        Variant(ALT, "control budgets"),
        Variant(DESCRIPTION, "manage budgets: plan money"),
    )
    assert candidate.lexical == ("manage budgets", "control budgets")


def test_rank_orders_best_first_and_keeps_the_supporting_sentence() -> None:
    text = "I bake bread every morning. Later I drive a forklift truck in the depot."
    (matches,) = ranker().rank([text], top=3, split=True)
    assert [match.uri for match in matches[:2]] == ["u:forklift", "u:bread"] or [m.uri for m in matches[:2]] == [
        "u:bread",
        "u:forklift",
    ]
    by_uri = {match.uri: match for match in matches}
    assert by_uri["u:bread"].sentence == "I bake bread every morning."
    assert by_uri["u:forklift"].sentence == "Later I drive a forklift truck in the depot."
    assert [match.score for match in matches] == sorted((match.score for match in matches), reverse=True)
    assert len(matches) == 3


def test_rank_is_deterministic_and_handles_empty_texts() -> None:
    first = ranker().rank(["manage budgets", "", "   "], top=2)
    second = ranker().rank(["manage budgets", "", "   "], top=2)
    assert first == second
    assert first[0][0].uri == "u:budget"
    assert first[0][0].label == "manage budgets"
    assert first[1] == [] and first[2] == []


def test_top_larger_than_the_candidate_set_returns_every_candidate() -> None:
    (matches,) = ranker().rank(["python"], top=50)
    assert len(matches) == len(SKILLS)
    assert matches[0].uri == "u:python"
    assert ranker().rank(["python"], top=0) == [[]]


def test_lexical_weight_changes_the_fusion() -> None:
    dense_only = RankerConfig(lexical_weight=0.0)
    lexical_heavy = RankerConfig(lexical_weight=5.0)
    text = ["budget"]
    assert ranker(config=lexical_heavy).rank(text, top=1)[0][0].uri == "u:budget"
    scores_dense = ranker(config=dense_only).rank(text, top=5)[0]
    scores_fused = ranker(config=lexical_heavy).rank(text, top=5)[0]
    assert scores_fused[0].score > scores_dense[0].score


def test_prior_breaks_ties_between_equal_candidates() -> None:
    twins = [
        Candidate.build(uri="a", label="plan routes", prior=0.0),
        Candidate.build(uri="b", label="plan routes", prior=0.9),
    ]
    config = RankerConfig(prior_weight=0.1)
    assert [match.uri for match in ranker(twins, config).rank(["plan routes"], top=2)[0]] == ["b", "a"]
    no_prior = RankerConfig(prior_weight=0.0)
    assert [match.uri for match in ranker(twins, no_prior).rank(["plan routes"], top=2)[0]] == ["a", "b"]


def test_split_false_ranks_the_text_whole() -> None:
    (matches,) = ranker().rank(["bake bread. operate forklift."], top=1)  # the default: one line, one text
    assert matches[0].sentence == "bake bread. operate forklift."


def test_label_candidates_borrow_variants_from_records() -> None:
    records = [SkillRecord("http://x/1", "manage budgets", ("control budgets",), "Plan and monitor a budget.")]
    candidates = label_candidates(
        ["manage budgets", "Manage Budgets", "unknown skill"], records, priors={"unknown skill": 0.5}
    )
    assert [c.uri for c in candidates] == ["http://x/1", "http://x/1", ""]
    assert candidates[0].variants[-1] == Variant(DESCRIPTION, "manage budgets: Plan and monitor a budget.")
    assert candidates[1].label == "Manage Budgets"
    assert candidates[2].variants == (Variant(LABEL, "unknown skill"),)
    assert candidates[2].prior == 0.5


def test_read_labels_drops_blank_and_repeated_lines(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_text("bake bread\n\n  bake   bread \nrepair bicycles\n", encoding="utf-8")
    assert read_labels(path) == ["bake bread", "repair bicycles"]


# -- the embedding cache ----------------------------------------------------------------------------------------


EVERY_KIND = RankerConfig(kind_weights=((LABEL, 1.0), (ALT, 0.5), (DESCRIPTION, 0.3)))


def test_second_build_reads_the_cache(tmp_path: Path) -> None:
    counting = CountingEncoder()
    first = ranker(config=EVERY_KIND, cache_dir=tmp_path, passage_encoder=counting)
    encoded = counting.texts
    assert encoded == sum(len(c.variants) for c in SKILLS)
    assert len(list(tmp_path.glob("*.npy"))) == 3  # label, alt and description matrices
    assert len(list(tmp_path.glob("*.bm25.npz"))) == 1  # the lexical index
    second = ranker(config=EVERY_KIND, cache_dir=tmp_path, passage_encoder=counting)
    assert counting.texts == encoded  # nothing encoded again
    assert isinstance(second.dense[0][2], np.memmap)
    assert first.rank(["bake bread"], top=3) == second.rank(["bake bread"], top=3)
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".tmp-")]


def test_a_changed_candidate_set_gets_a_new_key(tmp_path: Path) -> None:
    counting = CountingEncoder()
    ranker(config=EVERY_KIND, cache_dir=tmp_path, passage_encoder=counting)
    encoded = counting.texts
    before = {path.name for path in tmp_path.glob("*.npy")}
    changed = [*SKILLS[:-1], Candidate.build(uri="u:bread", label="bake sourdough bread", alternatives=["bake loaves"])]
    ranker(changed, config=EVERY_KIND, cache_dir=tmp_path, passage_encoder=counting)
    after = {path.name for path in tmp_path.glob("*.npy")}
    assert len(after - before) == 1  # only the label matrix changed; alternatives and descriptions are the same
    assert counting.texts == encoded + len(SKILLS)  # the labels were encoded again, nothing else
    assert cache_key(["a", "b"]) != cache_key(["a b"])
    assert cache_key(["a"], model_id="m1") != cache_key(["a"], model_id="m2")


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    texts = ["bake bread", "repair bicycles"]
    path = tmp_path / f"{cache_key(texts, model_id=FAKE_MODEL)}.npy"
    path.write_bytes(b"not a numpy file")
    matrix = cached_passages(texts, cache_dir=tmp_path, encoder=fake_encode, model_id=FAKE_MODEL)
    assert matrix.shape == (2, 384)
    assert np.load(path).shape == (2, 384)


@pytest.mark.parametrize("texts", [[], ["   "]])
def test_nothing_to_rank(texts: list[str]) -> None:
    assert ranker().rank(texts) == [[] for _ in texts]


def test_texts_without_sentences_keep_their_place() -> None:
    rankings = ranker().rank(["bake bread. python", "", "manage budgets"], top=1, split=True)
    assert [ranking[0].uri if ranking else None for ranking in rankings] == ["u:python", None, "u:budget"] or [
        ranking[0].uri if ranking else None for ranking in rankings
    ] == ["u:bread", None, "u:budget"]
    assert rankings[1] == []
