"""Small curriculum source folders written on the fly against the reference framework."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from skills4cities.curriculum.models import Curriculum
from skills4cities.curriculum.services import curriculum_load_folder, framework_facts
from skills4cities.frameworks.models import Framework

LANGS = ("en", "bg", "ro", "el", "es", "de")
HEADINGS = (
    "Why it matters",
    "Key concepts",
    "Method, step by step",
    "Case study: a parking pilot",
    "Check your understanding",
    "Further reading",
)


def six(text: str) -> dict[str, str]:
    return {code: f"{text} ({code})" for code in LANGS}


def study_page(words_per_section: int = 100) -> str:
    body = " ".join(["stakeholders"] * words_per_section)
    return "\n\n".join(f"## {heading}\n\n{body}" for heading in HEADINGS) + "\n"


def module_doc(code: str, outcomes: list[tuple[str, int]], prerequisites: list[str] | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "title": six(f"Module {code}"),
        "description": six(f"What {code} is about."),
        "hours": 24,
        "ecvet": 1.0,
        "delivery": ["online", "classroom"],
        "prerequisites": prerequisites or [],
        "assessment": {"method": {"en": f"Assignment for {code}"}},
        "outcomes": [
            {"element": element, "level": level, "text": six(f"{code} teaches {element}")}
            for element, level in outcomes
        ],
        "study": {"en": study_page()},
        "links": [{"title": f"Reading for {code}", "url": f"https://example.org/{code.lower()}"}],
    }


class SourceFolder:
    """A valid three-module, two-course curriculum covering every role element; mutate, then ``write()``."""

    def __init__(self, root: Path, framework: Framework) -> None:
        self.root = root
        facts = framework_facts(framework)
        targets = sorted(facts.targets.items())
        half = len(targets) // 2
        self.curriculum: dict[str, Any] = {
            "slug": "fixture-vet",
            "framework": framework.slug,
            "version": "1.0.0",
            "title": six("Fixture curriculum"),
            "description": six("A curriculum for tests."),
            "courses": [
                {"code": "C1", "title": six("Course one"), "description": six("First."), "modules": ["M01", "M02"]},
                {"code": "C2", "title": six("Course two"), "description": six("Second."), "modules": ["M03"]},
            ],
        }
        self.modules: dict[str, dict[str, Any]] = {
            "M01": module_doc("M01", targets[:half]),
            "M02": module_doc("M02", targets[half:], ["M01"]),
            "M03": module_doc("M03", [(targets[0][0], 5)], ["M01", "M02"]),
        }

    def write(self) -> Path:
        (self.root / "modules").mkdir(parents=True, exist_ok=True)
        for old in (self.root / "modules").glob("*.yaml"):
            old.unlink()
        (self.root / "curriculum.yaml").write_text(
            yaml.safe_dump(self.curriculum, allow_unicode=True), encoding="utf-8"
        )
        for name, module in self.modules.items():
            text = yaml.safe_dump(module, allow_unicode=True, sort_keys=False)
            (self.root / "modules" / f"{name}.yaml").write_text(text, encoding="utf-8")
        return self.root


@pytest.fixture
def source(tmp_path: Path, reference: Framework) -> SourceFolder:
    """The fixture folder; the shipped curriculum is removed first so that pages show the fixture alone."""
    Curriculum.objects.all().delete()
    return SourceFolder(tmp_path / "fixture", reference)


@pytest.fixture
def loaded(source: SourceFolder) -> Any:
    return curriculum_load_folder(folder=source.write()).curriculum


@pytest.fixture
def load(source: SourceFolder) -> Callable[[], Any]:
    return lambda: curriculum_load_folder(folder=source.write())
