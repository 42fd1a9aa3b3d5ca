"""The sandbox's notion of now: real UTC time unless a test hook pinned it, plus business days."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class SandboxClock:
    """One clock shared by every platform of a server, so a pinned `now` moves them all."""

    def __init__(self) -> None:
        self._pinned: datetime | None = None

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return self._pinned if self._pinned is not None else datetime.now(timezone.utc)

    def set(self, value: datetime | None) -> None:
        """Pin now to `value` (naive values are taken as UTC); None goes back to real time."""
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        self._pinned = value.astimezone(timezone.utc) if value is not None else None

    def today(self) -> datetime:
        """Midnight UTC of the current day: the anchor that seeded dates are offsets from."""
        return self.now().replace(hour=0, minute=0, second=0, microsecond=0)


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` business days (Mon-Fri) after `start`, same time of day (weekends are skipped).

    Written apart from autofill.deadlines on purpose: the sandbox plays the site, and a bug the
    two shared would pass every test."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with seconds and a Z, as the pages print dates: 2026-11-20T08:15:00Z."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Read an ISO 8601 time (a trailing Z allowed); naive values are UTC. Raises ValueError."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
