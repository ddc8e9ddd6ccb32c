"""The tree shows the pipeline: reading a file → finding claims → storing → developer tools, and a lower
stage never imports a higher one."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[1] / "etl"
STAGES = ["reading", "claims", "storage", "devtools"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_no_higher_stage(stage):
    higher = STAGES[STAGES.index(stage) + 1:]
    bad = [f"{path.name} imports {name}" for path in sorted((ETL / stage).glob("*.py"))
           for name in _imports(path) if any(name.startswith(f"etl.{h}") for h in higher)]
    assert not bad, bad


def test_every_module_belongs_to_a_stage():
    loose = sorted(p.name for p in ETL.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py", "tables.py"]
