from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.curriculum.conftest import SourceFolder

TOOL = Path(__file__).resolve().parents[2] / "tools" / "check_curriculum.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_curriculum", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tool_passes_a_valid_folder(source: SourceFolder, capsys: pytest.CaptureFixture[str]) -> None:
    assert _tool().main(["check_curriculum.py", str(source.write())]) == 0

    assert capsys.readouterr().out == "3 module file(s) checked: 0 problem(s).\n"


def test_the_tool_reports_problems_and_fails(source: SourceFolder, capsys: pytest.CaptureFixture[str]) -> None:
    source.modules["M01"]["prerequisites"] = ["M03"]

    assert _tool().main(["check_curriculum.py", str(source.write())]) == 1

    assert capsys.readouterr().out == (
        "modules/M01.yaml: prerequisites: prerequisites form a cycle: M01 → M03 → M01\n"
        "modules/M01.yaml: prerequisites: prerequisites form a cycle: M01 → M03 → M02 → M01\n"
        "3 module file(s) checked: 2 problem(s).\n"
    )


def test_the_tool_checks_module_files_while_curriculum_yaml_is_missing(
    source: SourceFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = source.write()
    (folder / "curriculum.yaml").unlink()

    assert _tool().main(["check_curriculum.py", str(folder)]) == 1

    assert capsys.readouterr().out == (
        "curriculum.yaml: is missing; the module files were checked as one course\n"
        "3 module file(s) checked: 1 problem(s).\n"
    )


def test_the_tool_runs_without_django(source: SourceFolder) -> None:
    folder = source.write()
    code = f"import sys, runpy; sys.modules['django'] = None; runpy.run_path({str(TOOL)!r}, run_name='__main__')"
    result = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=False)

    assert (result.returncode, result.stdout) == (0, "3 module file(s) checked: 0 problem(s).\n")
