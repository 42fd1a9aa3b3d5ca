"""`autofill --help` and `autofill deadlines` stay light: no browser, no Playwright import.

Checked by what the command leaves in `sys.modules` (in a fresh interpreter), not by timing:
how long they take is bench/cli_startup.py's business."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.perf.probe import run_fresh


@pytest.fixture
def quiet_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text(
        '[[stores]]\nname = "joom-main"\nplatform = "joom"\n'
        'base_url = "http://127.0.0.1:8765/joom"\n', encoding="utf-8")
    return root


def test_help_imports_no_playwright(quiet_workspace: Path, tmp_path: Path) -> None:
    found = run_fresh(["--help"], quiet_workspace, tmp_path / "data")
    assert found["code"] == 0
    assert "deadlines" in str(found["stdout"]) + str(found["printed"])
    assert found["heavy"] == []


def test_deadlines_imports_no_playwright(quiet_workspace: Path, tmp_path: Path) -> None:
    found = run_fresh(["deadlines", "--json"], quiet_workspace, tmp_path / "data")
    assert found["code"] == 0, found["stderr"]
    assert json.loads(str(found["stdout"])) == []
    assert found["heavy"] == []
