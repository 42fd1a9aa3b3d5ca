"""How the pages print times: 北京时间 (UTC+8) text with an ISO `datetime` attribute."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "北京时间")


def beijing_text(value: datetime) -> str:
    """2026-11-20 16:15:00 (the page's text, in UTC+8)."""
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def beijing_iso(value: datetime) -> str:
    """2026-11-20T16:15:00+08:00 (the `<time datetime>` attribute)."""
    return value.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M:%S+08:00")
