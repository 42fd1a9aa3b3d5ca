"""Artifacts kept with a case (traces, screenshots) must not carry the session: scrub them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

REDACTED = "[redacted]"
_HEADER = re.compile(
    rb'("name"\s*:\s*"(?:cookie|set-cookie|authorization|x-csrf-token)"\s*,\s*"value"\s*:\s*")'
    rb'(?:[^"\\]|\\.)*(")',
    re.IGNORECASE,
)


def session_secrets(cookies: list[Any]) -> list[str]:
    """The values that must never leave the user's data folder."""
    return [str(c["value"]) for c in cookies if c.get("value") and len(str(c["value"])) >= 6]


def scrub_bytes(data: bytes, secrets: list[str]) -> bytes:
    data = _HEADER.sub(rb"\1" + REDACTED.encode() + rb"\2", data)
    for secret in secrets:
        data = data.replace(secret.encode("utf-8"), REDACTED.encode())
    return data


def scrub_trace(path: Path, secrets: list[str]) -> None:
    """Rewrite a Playwright trace zip without cookie/authorization headers and secret values."""
    if not path.is_file():
        return
    tmp = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, scrub_bytes(src.read(info), secrets))
    tmp.replace(path)
