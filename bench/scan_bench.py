"""Benchmark: autofill's scan against a naive recorded flow and the plain-HTTP floor.

    .venv/bin/python bench/scan_bench.py [--sizes 500,2000,5000] [--runs 3] [--concurrency 3]

For each size it starts the sandbox with that many listings (a fifth not active), logs in once
with the demo account, and in the same run times three ways of collecting the same data at the
same concurrency, each as its own process:
  scan   `autofill scan --json` (a fresh local store each run)
  naive  bench/naive_flow.py: one tab per concurrency slot clicking View Details and back
  floor  bench/http_floor.py: httpx with the session cookie, Lexbor by tag, no browser
It checks the three collected the same listings, notices and appeals (and the sandbox's truth),
prints wall time (median of the runs), listings per second, CPU time and peak memory, the ratios
scan/floor and naive/scan and how the cost grows with size, and saves the figures as JSON in
bench/results/. Timings depend on the machine and on what else runs on it: the table says which
machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.collected import Collected, differences, from_contract  # noqa: E402
from bench.procwatch import Watched, machine, run_watched  # noqa: E402

METHODS = ("scan", "naive", "floor")
PY = sys.executable

from tests.conftest import Sandbox  # noqa: E402  (the one sandbox launcher)


@dataclass
class Run:
    size: int
    method: str
    run: int
    wall_s: float
    cpu_s: float
    python_peak_mb: float
    browser_peak_mb: float
    listings: int


def truth_collected(truth: dict[str, Any]) -> dict[str, set[str]]:
    return {"listings": {x["listing_id"] for x in truth["listings"] if x["status"] != "active"},
            "notices": {n["notice_id"] for n in truth["notices"]},
            "appeals": {a["appeal_id"] for a in truth["appeals"]}}


def workspace(folder: Path, base: str) -> None:
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    (folder / "autofill.toml").write_text(
        f'[[stores]]\nname = "bench"\nplatform = "joom"\nbase_url = "{base}"\n', encoding="utf-8")


def run_method(method: str, *, ws: Path, env: dict[str, str], base: str, state: Path,
               concurrency: int) -> tuple[Watched, Collected]:
    if method == "scan":
        shutil.rmtree(ws / ".autofill", ignore_errors=True)  # a first scan each time
        command = [PY, "-m", "autofill", "scan", "--json", "--concurrency", str(concurrency)]
    else:
        script = "naive_flow.py" if method == "naive" else "http_floor.py"
        command = [PY, str(ROOT / "bench" / script), "--base", base, "--state", str(state),
                   "--concurrency", str(concurrency)]
    watched = run_watched(command, cwd=ws, env=env)
    if watched.returncode != 0:
        raise SystemExit(f"{method} failed (exit {watched.returncode}):\n{watched.stderr[-3000:]}")
    data = json.loads(watched.stdout)
    return watched, from_contract(data) if method == "scan" else data


def bench_size(size: int, args: argparse.Namespace, out: list[Run]) -> dict[str, Any]:
    server = Sandbox(listings=size, seed=args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="autofill-bench-"))
    try:
        ws, data_dir = tmp / "ws", tmp / "data"
        workspace(ws, server.url("/joom"))
        env = {**os.environ, "AUTOFILL_DATA_DIR": str(data_dir)}
        login = subprocess.run([PY, "-m", "autofill", "login", "--store", "bench", "--demo"],
                               cwd=ws, env=env, capture_output=True, text=True, check=False)
        if login.returncode != 0:
            raise SystemExit(f"demo login failed: {login.stderr}")
        state = data_dir / "sessions" / "bench.json"
        truth = server.truth()
        expected = truth_collected(truth)
        not_active = len(expected["listings"])
        share = not_active / len(truth["listings"])
        print(f"\n{size} listings: {not_active} not active ({share:.0%}), "
              f"{len(expected['notices'])} notices, {len(expected['appeals'])} appeals",
              file=sys.stderr)
        methods = [m for m in METHODS if m in args.methods]
        reference: Collected | None = None
        for number in range(args.runs):
            order = methods[number % len(methods):] + methods[:number % len(methods)]
            for method in order:
                base = server.url("/joom")
                watched, got = run_method(method, ws=ws, env=env, base=base, state=state,
                                          concurrency=args.concurrency)
                for kind, ids in expected.items():
                    assert set(got[kind]) == ids, f"{method} at {size}: {kind} differ from truth"
                if reference is None:
                    reference = got
                problems = differences(reference, got)
                assert not problems, f"{method} at {size} collected other data: {problems}"
                out.append(Run(size, method, number + 1, watched.wall_s, watched.cpu_s,
                               watched.own_peak_mb, watched.children_peak_mb,
                               len(got["listings"])))
                print(f"  run {number + 1} {method:5s} {watched.wall_s:7.2f} s  "
                      f"cpu {watched.cpu_s:6.2f} s", file=sys.stderr)
        return {"size": size, "not_active": not_active, "share_not_active": round(share, 3),
                "notices": len(expected["notices"]), "appeals": len(expected["appeals"])}
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def median(runs: list[Run], size: int, method: str, attr: str) -> float:
    values = [getattr(r, attr) for r in runs if r.size == size and r.method == method]
    return statistics.median(values) if values else float("nan")


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares wall = fixed + per_listing * n."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0
    return my - slope * mx, slope


def report(runs: list[Run], sizes: list[int], methods: list[str], info: dict[str, Any],
           concurrency: int) -> list[str]:
    lines = [f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory_gb']} GB; "
             f"load average at start {info['loadavg']}, at end {info['loadavg_end']}; "
             f"niceness {info['nice']}",
             f"concurrency {concurrency} (pages in flight per method); medians of "
             f"{max(r.run for r in runs)} run(s) (best: the fastest run); memory: peak RSS "
             "of the method's Python process, peak PSS summed over its descendants "
             "(Playwright driver + browser)",
             "",
             f"{'size':>6} {'listings':>8} {'method':6} {'wall s':>8} {'best s':>7} "
             f"{'listings/s':>10} {'cpu s':>7} {'python MB':>9} {'browser MB':>10}"]
    for size in sizes:
        for method in methods:
            wall = median(runs, size, method, "wall_s")
            count = int(median(runs, size, method, "listings"))
            best = min(r.wall_s for r in runs if r.size == size and r.method == method)
            lines.append(
                f"{size:>6} {count:>8} {method:6} {wall:8.2f} {best:7.2f} {count / wall:10.1f} "
                f"{median(runs, size, method, 'cpu_s'):7.2f} "
                f"{median(runs, size, method, 'python_peak_mb'):9.0f} "
                f"{median(runs, size, method, 'browser_peak_mb'):10.0f}")
    lines.append("")
    for size in sizes:
        parts = []
        if {"scan", "floor"} <= set(methods):
            ratio = median(runs, size, "scan", "wall_s") / median(runs, size, "floor", "wall_s")
            parts.append(f"scan/floor {ratio:.2f}x (target <= 1.5x)")
        if {"scan", "naive"} <= set(methods):
            ratio = median(runs, size, "naive", "wall_s") / median(runs, size, "scan", "wall_s")
            parts.append(f"naive/scan {ratio:.1f}x (target >= 5x)")
        if parts:
            lines.append(f"{size:>6}: " + ", ".join(parts))
    if len(sizes) >= 2:
        lines.append("")
        lines.append("growth: least squares fixed + per listing x n; marginal = extra per "
                     "extra listing between sizes, in wall time (what other load on the "
                     "machine disturbs most) and CPU time; linear when the marginal CPU cost "
                     "varies by 25% at most, else less or more than linear")
        for method in methods:
            def points(attr: str, method: str = method) -> list[tuple[int, float]]:
                return [(int(median(runs, s, method, "listings")), median(runs, s, method, attr))
                        for s in sizes]

            def marginal(pts: list[tuple[int, float]]) -> list[float]:
                return [(b[1] - a[1]) / (b[0] - a[0]) * 1000
                        for a, b in zip(pts, pts[1:], strict=False) if b[0] != a[0]]

            fixed, per = fit(points("wall_s"))
            wall, cpu = marginal(points("wall_s")), marginal(points("cpu_s"))
            spread = (max(cpu) - min(cpu)) / max(cpu) if cpu and max(cpu) > 0 else 0.0
            verdict = ("linear" if spread <= 0.25 else
                       "less than linear" if cpu[-1] < cpu[0] else "MORE than linear")
            mem = [median(runs, s, method, "python_peak_mb") for s in sizes]
            lines.append(
                f"  {method:6} wall {fixed:5.2f} s + {per * 1000:5.1f} ms/listing; marginal wall "
                + " -> ".join(f"{m:.1f}" for m in wall) + " ms, cpu "
                + " -> ".join(f"{m:.1f}" for m in cpu) + f" ms/listing ({verdict}, cpu spread "
                f"{spread:.0%}); python peak " + " -> ".join(f"{m:.0f}" for m in mem) + " MB")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000", help="listings per sandbox")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--methods", default=",".join(METHODS), help="scan,naive,floor")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--nice", type=int, default=0,
                        help="niceness for the bench and everything it starts (a negative one, "
                        "as root, steadies the figures on a machine others are using)")
    args = parser.parse_args()
    if args.nice:
        os.nice(args.nice)
    args.methods = [m for m in args.methods.split(",") if m]
    unknown = set(args.methods) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s): {', '.join(sorted(unknown))}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    info = machine()
    info["nice"] = os.nice(0)
    started = time.time()
    runs: list[Run] = []
    datasets = [bench_size(size, args, runs) for size in sizes]
    info["loadavg_end"] = machine()["loadavg"]
    methods = [m for m in METHODS if m in args.methods]
    lines = report(runs, sizes, methods, info, args.concurrency)
    print("\n".join(lines))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = args.out / f"scan_bench_{stamp}.json"
    path.write_text(json.dumps({
        "machine": info, "started": started, "concurrency": args.concurrency,
        "sizes": datasets, "runs": [asdict(r) for r in runs], "table": lines,
    }, indent=2), encoding="utf-8")
    print(f"\nsaved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
