"""Benchmark: how long `autofill --help` and `autofill deadlines` take, start to exit.

    .venv/bin/python bench/cli_startup.py [--runs 10]

Each command runs as a fresh process in a throwaway workspace (with an empty local store); the
table gives the median and the fastest of the runs, and whether Playwright was imported (it
must not be: tests/perf/test_cli_startup.py checks that, this shows what it is worth).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.procwatch import machine  # noqa: E402

COMMANDS = {
    "autofill --help": ["--help"],
    "autofill deadlines": ["deadlines"],
    "autofill deadlines --json": ["deadlines", "--json"],
}


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autofill", *args], cwd=cwd, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def imports_playwright(args: list[str], cwd: Path, env: dict[str, str]) -> bool:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "autofill", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return any(line.rsplit("|", 1)[-1].strip().startswith("playwright")
               for line in done.stderr.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="autofill-startup-") as tmp:
        ws = Path(tmp) / "ws"
        (ws / "cases").mkdir(parents=True)
        (ws / "autofill.toml").write_text(
            '[[stores]]\nname = "joom-main"\nplatform = "joom"\n'
            'base_url = "http://127.0.0.1:8765/joom"\n', encoding="utf-8")
        env = {**os.environ, "AUTOFILL_DATA_DIR": str(Path(tmp) / "data")}
        timed(["deadlines"], ws, env)  # creates the store; warms the file cache
        bare = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - started)
        info = machine()
        print(f"machine: {info['nproc']} cores, {info['cpu']}; load average {info['loadavg']}")
        print(f"{'command':28} {'median s':>9} {'best s':>7}  playwright imported")
        print(f"{'python -c pass':28} {statistics.median(bare):9.3f} {min(bare):7.3f}  -")
        for name, command in COMMANDS.items():
            times = [timed(command, ws, env) for _ in range(args.runs)]
            heavy = imports_playwright(command, ws, env)
            print(f"{name:28} {statistics.median(times):9.3f} {min(times):7.3f}  "
                  f"{'yes' if heavy else 'no'}")


if __name__ == "__main__":
    main()
