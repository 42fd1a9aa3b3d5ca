"""Logging: readable lines on stderr, JSON lines in the workspace's log folder, secrets redacted.

structlog is loaded by a logger's first use, not by `configure` or `get_logger`: a command that
logs nothing (`autofill deadlines`, `--help`, a scan without trouble) stays light."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

REDACTED = "[redacted]"
_SECRET_KEY = re.compile(
    r"(cookie|token|passw|secret|authori[sz]ation|session|csrf|api[_-]?key|storage[_-]?state)",
    re.IGNORECASE,
)
_SECRET_IN_TEXT = [
    re.compile(r"(?i)\b(authorization|proxy-authorization)\s*[:=]\s*[^\r\n,;]+"),
    re.compile(r"(?i)\b(set-cookie|cookie)\s*[:=]\s*[^\r\n]+"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(
        r"(?i)\b([A-Za-z0-9_-]*(?:token|session|passw(?:or)?d|secret|csrf|api_?key)[A-Za-z0-9_-]*)"
        r"\s*[=:]\s*\"?[^\s\"&;,]+"
    ),
]


def redact(value: Any, key: str = "") -> Any:
    """A copy of `value` with secrets replaced, wherever they sit (keys, nested, inside text)."""
    if key and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        for pattern in _SECRET_IN_TEXT:
            value = pattern.sub(lambda m: f"{m.group(1) if m.groups() else ''}={REDACTED}", value)
        return value
    return value


def _redact_processor(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    return {k: redact(v, k) if k != "event" else redact(v) for k, v in event.items()}


class _JsonFile:
    """Appends each event as one JSON line to today's file in the workspace's log folder."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def __call__(self, _: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
                with (self.folder / f"autofill-{day}.jsonl").open("a", encoding="utf-8") as f:
                    f.write(json.dumps(event, default=str, ensure_ascii=False) + "\n")
            except OSError:
                self.folder = None  # a full or read-only disk must not break the command
        return event


class _ConsoleLevel:
    def __init__(self, level: int) -> None:
        self.level = level

    def __call__(self, _: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
        if logging.getLevelName(method.upper()) < self.level:
            import structlog  # noqa: PLC0415 - loaded already: this runs inside it

            raise structlog.DropEvent
        return event


_pending: dict[str, Any] | None = None  # what `configure` asked for, not applied yet


def configure(log_dir: Path | None, *, verbose: bool = False, stream: TextIO | None = None) -> None:
    """Info and up go to the JSON file; warnings (info with --verbose) to stderr. Applied now if
    structlog is loaded, else by a logger's first use."""
    global _pending
    _pending = {"log_dir": log_dir, "verbose": verbose, "stream": stream}
    asyncio_log = logging.getLogger("asyncio")
    if not any(isinstance(f, _DriverGone) for f in asyncio_log.filters):
        asyncio_log.addFilter(_DriverGone())
    if "structlog" in sys.modules:
        _apply()


def _apply() -> None:
    global _pending
    if _pending is None:
        return
    import structlog  # noqa: PLC0415

    log_dir, verbose, stream = _pending["log_dir"], _pending["verbose"], _pending["stream"]
    _pending = None
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redact_processor,
            _JsonFile(log_dir),
            _ConsoleLevel(logging.INFO if verbose else logging.WARNING),
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )


class _DriverGone(logging.Filter):
    """When Playwright's driver dies (killed with the browser), Playwright leaves a future
    holding "Connection closed while reading from the driver" that nobody reads, and asyncio
    prints it at exit. The command has already said what happened and what to do."""

    GONE = "Connection closed while reading from the driver"

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return self.GONE not in f"{record.getMessage()} {error or ''}"


class _Logger:
    """A module's logger that loads structlog when it is first used: modules hold one from
    import on, and a command that logs nothing (a clean scan, `deadlines`) never loads it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, method: str) -> Any:
        import structlog  # noqa: PLC0415

        _apply()
        return getattr(structlog.get_logger(self._name), method)


def get_logger(name: str = "autofill") -> Any:
    return _Logger(name)
