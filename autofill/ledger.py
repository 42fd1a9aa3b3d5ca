"""The case ledger: an append-only JSON-lines record of every prefill session, never rewritten."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

LEDGER_NAME = "ledger.jsonl"


def ledger_path(case_dir: Path) -> Path:
    return case_dir / LEDGER_NAME


def append(case_dir: Path, event: str, **fields: Any) -> dict[str, Any]:
    """Append one entry (with `event` and `at`) and fsync it: a crash loses no recorded line."""
    entry = {"event": event, "at": datetime.now(timezone.utc).isoformat(), **fields}
    path = ledger_path(case_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return entry


def entries(case_dir: Path) -> list[dict[str, Any]]:
    """Every entry, oldest first; a torn last line (crash mid-write) is skipped, not fatal."""
    path = ledger_path(case_dir)
    if not path.is_file():
        return []
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def submissions(case_dir: Path) -> list[dict[str, Any]]:
    """Entries recording what a human's click actually sent: statement, file hashes, appeal id.

    Each has: notice_id, appeal_id, kind ("appeal" | "supplement" | "report"), statement,
    files [{name, size, sha256}].
    """
    return [e for e in entries(case_dir) if e.get("event") == "submitted"]
