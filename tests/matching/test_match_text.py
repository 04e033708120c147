"""The ``match_text`` command per DESIGN.md: one JSON object per input line, best first; errors exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from skills4cities.matching.engine import Ranker

LABELS = "manage budgets\nprovide first aid\nPython (computer programming)\nbake sourdough loaves\n"


def run(*args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> list[dict[str, Any]]:
    out = io.StringIO()
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("match_text", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_texts_rank_esco_skills_best_first(db: Any, fake_esco: Ranker) -> None:
    lines = run("I manage budgets", "python", "--target", "esco", "--top", "2")
    assert [line["text"] for line in lines] == ["I manage budgets", "python"]
    first = lines[0]["matches"]
    assert len(first) == 2
    assert first[0] == {
        "uri": "http://data.europa.eu/esco/skill/budgets",
        "label": "manage budgets",
        "score": first[0]["score"],
    }
    assert set(first[0]) == {"uri", "label", "score"}
    assert first[0]["score"] >= first[1]["score"]
    assert lines[1]["matches"][0]["label"] == "Python (computer programming)"


def test_input_file_gives_one_line_per_input_line(db: Any, fake_esco: Ranker, tmp_path: Path) -> None:
    source = tmp_path / "sentences.txt"
    source.write_text("manage budgets\n\nprovide first aid\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    call_command("match_text", "--input", str(source), "--target", "esco", "--top", "1", "--output", str(output))
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["text"] for line in lines] == ["manage budgets", "", "provide first aid"]
    assert [len(line["matches"]) for line in lines] == [1, 0, 1]
    assert lines[2]["matches"][0]["label"] == "provide first aid"


def test_input_dash_reads_stdin(db: Any, fake_esco: Ranker, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = run("--input", "-", "--target", "esco", "--top", "1", stdin="Python\n", monkeypatch=monkeypatch)
    assert lines == [{"text": "Python", "matches": [{"uri": "http://data.europa.eu/esco/skill/python", "label": "Python (computer programming)", "score": lines[0]["matches"][0]["score"]}]}]  # fmt: skip


def test_labels_rank_the_listed_labels_with_the_real_model(tmp_path: Path, isolated_rankers: Path) -> None:
    labels = tmp_path / "labels.txt"
    labels.write_text(LABELS, encoding="utf-8")
    lines = run("Управлявах бюджета на общината.", "Ich backe Sauerteigbrot.", "--labels", str(labels), "--top", "4")
    assert [line["matches"][0]["label"] for line in lines] == ["manage budgets", "bake sourdough loaves"]
    assert [len(line["matches"]) for line in lines] == [4, 4]
    uris = {match["label"]: match["uri"] for match in lines[0]["matches"]}
    assert uris["bake sourdough loaves"] == ""  # not an ESCO label: no URI
    assert uris["manage budgets"].startswith("http://data.europa.eu/esco/skill/")
    assert any(isolated_rankers.glob("*.npy"))  # the label embeddings were cached


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["text", "--target", "occupations"], "Unknown target 'occupations'"),
        (["--target", "esco"], "Nothing to match"),
        (["--input", "/nonexistent/in.txt"], "does not exist"),
        (["text", "--labels", "/nonexistent/labels.txt"], "does not exist"),
        (["text", "--top", "0"], "--top must be between 1 and 100"),
    ],
)
def test_errors_are_clear_and_exit_2(db: Any, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("match_text", *args)
    assert raised.value.returncode == 2


def test_empty_input_file_is_an_error(db: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing to match") as raised:
        call_command("match_text", "--input", str(empty))
    assert raised.value.returncode == 2


def test_command_line_exit_status_is_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "match_text", "x", "--target", "nope"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "skills4cities.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert "Unknown target 'nope'" in result.stderr
