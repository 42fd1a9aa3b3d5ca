"""Time from `autofill prefill` start to "Ready for your click", with 5 evidence files of several
MB, against the sandbox (median of a few runs). A script, not a test:

    python bench/prefill_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autofill.samples import certificate_pdf  # noqa: E402
from tests.conftest import WORKSPACE_TOML, Sandbox  # noqa: E402


def autofill(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autofill", "--workspace", str(ws), *args],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def noisy_jpeg(path: Path, size: tuple[int, int]) -> Path:
    """A photo-like JPEG that does not compress away: several MB."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(
        path, "JPEG", quality=92, dpi=(300, 300))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="prefill-bench-"))
    os.environ["AUTOFILL_DATA_DIR"] = str(tmp / "data")
    sandbox = Sandbox(listings=200)
    try:
        ws = tmp / "ws"
        (ws / "cases").mkdir(parents=True)
        (ws / "autofill.toml").write_text(WORKSPACE_TOML.format(base=sandbox.base))
        assert autofill(ws, "login", "--store", "joom-sandbox", "--demo").returncode == 0
        assert autofill(ws, "scan", "--store", "joom-sandbox").returncode == 0
        truth = sandbox.truth()
        appealed = {a["notice_id"] for a in truth["appeals"]}
        notice = next(n for n in truth["notices"] if n["violation_type"].startswith(
            "Missing Certificate: CE") and n["notice_id"] not in appealed)
        models = sorted({x["model"] for x in truth["listings"]
                         if x["listing_id"] in notice["listing_ids"]})
        assert autofill(ws, "case", "new", notice["notice_id"]).returncode == 0
        case = ws / "cases" / notice["notice_id"]
        expires = str(date.today() + timedelta(days=365))
        files = [certificate_pdf(case / "certificate.pdf", standard="CE", issuer="TUV",
                                 number="CE-1", models=models, expires=expires)]
        files += [noisy_jpeg(case / f"photo-{i}.jpg", (2600, 2000)) for i in range(1, 5)]
        data = yaml.safe_load((case / "case.yaml").read_text())
        data["evidence"] = [{"file": "certificate.pdf", "kind": "certificate", "standard": "CE",
                             "issuer": "TUV", "number": "CE-1", "expires": expires,
                             "models": models}]
        data["evidence"] += [{"file": p.name, "kind": "product_photo"} for p in files[1:]]
        data["statement"] = (f"Re: notification {notice['notice_id']}, rule {notice['rule_ref']}. "
                             f"Model {models[0]} has a valid CE certificate (TUV, CE-1).")
        data["confirmations"] = {k: True for k in data["confirmations"]}
        (case / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        sizes = [p.stat().st_size / 1e6 for p in files]
        print(f"evidence: {len(files)} files, {', '.join(f'{s:.1f}' for s in sizes)} MB")
        ready, wall = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            run = autofill(ws, "--headless", "prefill", f"cases/{notice['notice_id']}",
                           "--stop-when-ready")
            wall.append(time.perf_counter() - started)
            found = re.search(r"Ready for your click \(([\d.]+) s\)", run.stderr)
            assert run.returncode == 0 and found, run.stderr
            ready.append(float(found.group(1)))
        print(f"prefill start -> ready, whole command (incl. check and browser start): median "
              f"{statistics.median(wall):.2f} s (runs: {', '.join(f'{w:.2f}' for w in wall)})")
        print(f"browser open -> form filled and verified: median {statistics.median(ready):.2f} s")
    finally:
        sandbox.stop()


if __name__ == "__main__":
    main()
