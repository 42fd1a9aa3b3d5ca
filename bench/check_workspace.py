"""Benchmark: `check_workspace` over 100 cases x 5 evidence files (A4 scans at 300 dpi, photos).

Run: .venv/bin/python bench/check_workspace.py [--cases 100] [--runs 3]

Prints the median wall time of `--runs` runs, cold (the inspection cache emptied before each run,
as in a fresh `autofill check` process) and warm (unchanged files inspected once).
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autofill import evidence  # noqa: E402
from autofill.checking import check_workspace  # noqa: E402
from autofill.store import Store  # noqa: E402
from autofill.workspace import Workspace  # noqa: E402
from tests.preflight import builders as b  # noqa: E402

A4_300DPI = (2480, 3508)
PHOTO = (1500, 2000)


def _page(size: tuple[int, int], seed: int) -> Image.Image:
    """A page of 'text': dense short strokes, so JPEG sizes resemble a real scan's."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    step = 28
    for row, y in enumerate(range(120, size[1] - 120, step)):
        x = 120
        while x < size[0] - 160:
            width = 12 + (x * 7 + row * 13 + seed) % 60
            draw.rectangle((x, y, x + width, y + 14), fill=30)
            x += width + 14
    return img.convert("RGB")


def _templates(folder: Path) -> dict[str, bytes]:
    """One file per evidence kind; cases get copies made unique by a trailing comment/padding."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, bytes] = {}
    for name, size, fmt in [
        ("ce-certificate.pdf", A4_300DPI, "PDF"),
        ("authorization.pdf", A4_300DPI, "PDF"),
        ("label-photo.jpg", PHOTO, "JPEG"),
        ("product-photo.jpg", PHOTO, "JPEG"),
        ("corrected-listing.jpg", (1280, 2200), "JPEG"),
    ]:
        buffer = io.BytesIO()
        image = _page(size, len(out))
        if fmt == "PDF":
            image.save(buffer, "PDF", resolution=300.0, quality=75)
        else:
            image.save(buffer, "JPEG", quality=80, dpi=(300, 300))
        out[name] = buffer.getvalue()
    return out


def build(root: Path, cases: int) -> Workspace:
    workspace = Workspace(root)
    b.write_config(workspace)
    templates = _templates(root / "templates")
    store = Store(workspace.db_path)
    notices, listings = [], []
    for n in range(cases):
        notice_id = f"NTF-{50000 + n}"
        listing_id = f"{n:024x}"
        notices.append(b.notice(notice_id, listing_ids=[listing_id],
                                deadline=b.NOW + timedelta(days=10)))
        listings.append(b.listing(listing_id, notice_id))
    b.scan_into(store, notices=notices, listings=listings, account=b.active_account())
    store.close()
    for n in range(cases):
        notice_id = f"NTF-{50000 + n}"
        case_dir = workspace.case_dir(notice_id)
        case_dir.mkdir(parents=True)
        for name, data in templates.items():
            tail = f"\n%case {n}\n".encode() if name.endswith(".pdf") else b"\x00" * (n + 1)
            (case_dir / name).write_bytes(data + tail)
        bundle = b.Bundle(case_dir, b.good_fields(notice_id, [f"{n:024x}"]))
        bundle.fields["statement"] = (
            f"Re: notification {notice_id}, rule JPLG-5.1. Batch {n}: kettle lot {n * 37 % 1000} "
            f"now carries the scald warning on label revision {n % 7}.{n % 13}; photos "
            f"{n * 3}-{n * 3 + 2} and the CE certificate for model X100 show it. Please restore."
        )
        bundle.fields["evidence"] += [
            {"file": "product-photo.jpg", "kind": "product_photo"},
            {"file": "corrected-listing.jpg", "kind": "listing_screenshot"},
            {"file": "authorization.pdf", "kind": "authorization", "brand": "Acme",
             "licensor": "Acme Brand Ltd.", "licensee": b.LEGAL_NAME, "level": 1},
        ]
        bundle.write()
    return workspace


def _timed(workspace: Workspace, *, cold: bool) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, reports): CPU time shows the cost on a busy machine too."""
    if cold:
        evidence.clear_cache()
    started, cpu = time.perf_counter(), time.process_time()
    reports = check_workspace(workspace, now=b.NOW)
    return time.perf_counter() - started, time.process_time() - cpu, len(reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="autofill-bench-"))
    try:
        started = time.perf_counter()
        workspace = build(root / "ws", args.cases)
        size = sum(p.stat().st_size for p in workspace.cases_dir.rglob("*") if p.is_file())
        print(f"built {args.cases} cases in {time.perf_counter() - started:.1f}s "
              f"({size / 1024 / 1024:.0f} MB of evidence)")
        cold = [_timed(workspace, cold=True) for _ in range(args.runs)]
        warm = [_timed(workspace, cold=False) for _ in range(args.runs)]
        files = sum(1 for p in workspace.cases_dir.rglob("*") if p.suffix in (".pdf", ".jpg"))
        problems = sum(1 for r in check_workspace(workspace, now=b.NOW) if not r.ok)
        print(f"check_workspace: {cold[0][2]} cases, {files} evidence files, {problems} not ok")
        labelled = (("cold (fresh inspection cache)", cold), ("warm (files unchanged)", warm))
        for label, runs in labelled:
            walls, cpus = [w for w, _, _ in runs], [c for _, c, _ in runs]
            print(f"  {label:30} median {statistics.median(walls):.2f}s wall, "
                  f"{statistics.median(cpus):.2f}s CPU  (wall runs "
                  f"{', '.join(f'{t:.2f}' for t in walls)})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
