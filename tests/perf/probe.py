"""A command run in a fresh interpreter, and what it left in `sys.modules`: how tests prove a
command stays light (no Playwright imported) without timing it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def run_fresh(args: list[str], cwd: Path, data_dir: Path) -> dict[str, object]:
    env = {**os.environ, "AUTOFILL_DATA_DIR": str(data_dir), "HEAVY_MODULES": json.dumps(HEAVY),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    found["printed"] = done.stdout  # click prints --help to the real stdout
    return found
