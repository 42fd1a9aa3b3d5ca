"""Regenerate the shipped sandbox recordings: recordings/<platform>/sandbox/.

    .venv/bin/python recordings/make_sandbox_recordings.py [--listings 60] [joom aliexpress]

Starts a small sandbox of its own (a separate process, `--listings 60` keeps each HAR well under
2 MB), logs in with the demo account into a throwaway data folder, records each platform's scan
with `autofill.recording.record_scripted` (the same capture, scrub and offline replay as
`autofill record --scan`), and refuses to keep a recording whose expected results differ from
the sandbox's ground truth. Platforms without a working flow are skipped with a message.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autofill.browser import BrowserOptions  # noqa: E402
from autofill.browsing import site_for  # noqa: E402
from autofill.cli import main as cli  # noqa: E402
from autofill.config import StoreConfig  # noqa: E402
from autofill.context import Environment  # noqa: E402
from autofill.errors import AutofillError  # noqa: E402
from autofill.recording import HAR, Recording, record_scripted  # noqa: E402
from autofill.registry import get  # noqa: E402

MAX_BYTES = 2_000_000


def start_sandbox(listings: int, seed: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "autofill", "sandbox", "--port", "0", "--test-hooks",
         "--listings", str(listings), "--seed", str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Joom" in line and "http" in line:
            return proc, line.split()[-1].rsplit("/joom", 1)[0]
    proc.kill()
    raise SystemExit("the sandbox did not start")


def truth(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/__sandbox__/truth", timeout=60) as response:
        data: dict[str, Any] = json.loads(response.read())
    return data


def legal_names(store: dict[str, Any]) -> list[str]:
    return [v for k, v in store.items() if k.startswith("legal_name") and v]


def disagreements(recording: Recording, want: dict[str, Any]) -> list[str]:
    """What the recording's expected results say differently from the sandbox's truth."""
    got = recording.expected
    problems = [f"{len(got['errors'])} scan error(s): {got['errors'][:2]}"] if got["errors"] else []
    if recording.missing:
        problems.append(f"pages missing from the HAR: {recording.missing[:3]}")
    pairs = (
        ("listings", "listing_id", [x for x in want["listings"] if x["status"] != "active"]),
        ("notices", "notice_id", want["notices"]),
        ("appeals", "appeal_id", want["appeals"]),
    )
    for field, key, items in pairs:
        expected_ids, found_ids = {x[key] for x in items}, {x[key] for x in got[field]}
        if expected_ids != found_ids:
            problems.append(f"{field}: {len(found_ids)} found, {len(expected_ids)} in the truth")
    return problems


def make(platform: str, base: str, world: dict[str, Any], data_dir: Path) -> bool:
    folder = ROOT / "recordings" / platform / "sandbox"
    name = f"{platform}-sandbox"
    names = legal_names(world.get("store", {}))
    workspace = data_dir / "workspace"
    workspace.mkdir(exist_ok=True)
    (workspace / "autofill.toml").write_text(
        f'[[stores]]\nname = "{name}"\nplatform = "{platform}"\nbase_url = "{base}/{platform}"\n'
        f'legal_name = "{names[0]}"\n', encoding="utf-8")
    err = io.StringIO()
    code = cli(["--workspace", str(workspace), "login", "--store", name, "--demo"],
               Environment(stderr=err, cwd=workspace, environ=dict(os.environ)))
    if code != 0:
        print(f"{platform}: demo login failed ({code}): {err.getvalue().strip()}")
        return False
    site = site_for(StoreConfig(name=name, platform=platform,  # type: ignore[arg-type]
                                base_url=f"{base}/{platform}", legal_name=names[0]))
    staging = data_dir / platform
    recording = asyncio.run(record_scripted(site, BrowserOptions(), staging, legal_names=names))
    problems = disagreements(recording, world)
    size = (staging / HAR).stat().st_size
    if size > MAX_BYTES:
        problems.append(f"{HAR} is {size:,} bytes (more than {MAX_BYTES:,})")
    if problems:
        print(f"{platform}: not kept: " + "; ".join(problems))
        return False
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(staging, folder)
    exp = recording.expected
    print(f"{platform}: {folder.relative_to(ROOT)}: {len(exp['listings'])} listings, "
          f"{len(exp['notices'])} notices, {len(exp['appeals'])} appeals, {size:,} bytes")
    return True


def flow_works(platform: str) -> bool:
    try:
        get(platform)
    except AutofillError as err:
        print(f"{platform}: skipped, no working flow ({err.message})")
        return False
    return True


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("platforms", nargs="*", default=["joom", "aliexpress"])
    parser.add_argument("--listings", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="autofill-recordings-") as private:
        os.environ["AUTOFILL_DATA_DIR"] = str(Path(private) / "userdata")
        proc, base = start_sandbox(args.listings, args.seed)
        try:
            world = truth(base)
            results = [make(p, base, world[p], Path(private)) for p in args.platforms
                       if p in world and flow_works(p)]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(run())
