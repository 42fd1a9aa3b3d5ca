"""`autofill --help` and `autofill deadlines` stay light: no browser, no Playwright import.

Checked by what the command leaves in `sys.modules` (in a fresh interpreter), not by timing:
how long they take is bench/cli_startup.py's business."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("playwright", "greenlet", "pyee")  # Playwright and what it brings

PROBE = """
import io, json, os, sys
from pathlib import Path
from autofill.cli import main
from autofill.context import Environment

HEAVY = json.loads(os.environ["HEAVY_MODULES"])
out, err = io.StringIO(), io.StringIO()
code = main(sys.argv[1:], Environment(stdout=out, stderr=err, cwd=Path.cwd(),
                                      environ=dict(os.environ)))
heavy = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
print(json.dumps({"code": int(code), "heavy": heavy, "stdout": out.getvalue(),
                  "stderr": err.getvalue()}))
"""


def _run(args: list[str], cwd: Path, data_dir: Path) -> dict[str, object]:
    env = {**os.environ, "AUTOFILL_DATA_DIR": str(data_dir), "HEAVY_MODULES": json.dumps(HEAVY),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    found["printed"] = done.stdout  # click prints --help to the real stdout
    return found


@pytest.fixture
def quiet_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text(
        '[[stores]]\nname = "joom-main"\nplatform = "joom"\n'
        'base_url = "http://127.0.0.1:8765/joom"\n', encoding="utf-8")
    return root


def test_help_imports_no_playwright(quiet_workspace: Path, tmp_path: Path) -> None:
    found = _run(["--help"], quiet_workspace, tmp_path / "data")
    assert found["code"] == 0
    assert "deadlines" in str(found["stdout"]) + str(found["printed"])
    assert found["heavy"] == []


def test_deadlines_imports_no_playwright(quiet_workspace: Path, tmp_path: Path) -> None:
    found = _run(["deadlines", "--json"], quiet_workspace, tmp_path / "data")
    assert found["code"] == 0, found["stderr"]
    assert json.loads(str(found["stdout"])) == []
    assert found["heavy"] == []
