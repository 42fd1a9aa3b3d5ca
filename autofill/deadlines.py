"""Deadlines: business-day arithmetic, the open deadlines in the store, and an iCalendar export."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from autofill.models import OPEN_APPEAL_STATUSES
from autofill.store import Store


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` working days (Mon-Fri) after `start`, same time of day."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@dataclass(frozen=True)
class Deadline:
    due: datetime
    store: str
    kind: str  # "appeal window" | "information request"
    notice_id: str
    appeal_id: str | None
    what: str

    def left(self, now: datetime) -> timedelta:
        return self.due - now

    def as_dict(self) -> dict[str, object]:
        return {
            "due": self.due.isoformat().replace("+00:00", "Z"),
            "store": self.store,
            "kind": self.kind,
            "notice_id": self.notice_id,
            "appeal_id": self.appeal_id,
            "what": self.what,
        }


def open_deadlines(store: Store, stores: list[str],
                   now: datetime | None = None) -> list[Deadline]:
    """Every deadline still to meet, nearest first: appeal windows of notices nobody appealed yet
    (a window that already closed is final, not a deadline), and requests for more information
    not answered yet (shown even just past, so the seller sees what was missed)."""
    now = now or datetime.now(timezone.utc)
    found: list[Deadline] = []
    for name in stores:
        appeals = store.appeals(name)
        appealed = {a.notice_id for a in appeals}
        for notice in store.notices(name):
            if (notice.appeal_deadline and notice.appeal_deadline > now and notice.appealable
                    and notice.notice_id not in appealed):
                found.append(Deadline(
                    notice.appeal_deadline, name, "appeal window", notice.notice_id, None,
                    f"Appeal {notice.notice_id} ({notice.violation_type}, "
                    f"{len(notice.listing_ids)} listing(s))",
                ))
        for appeal in appeals:
            if appeal.status == "info_requested" and appeal.info_request_deadline:
                found.append(Deadline(
                    appeal.info_request_deadline, name, "information request", appeal.notice_id,
                    appeal.appeal_id,
                    f"Send the additional information for appeal {appeal.appeal_id}",
                ))
            elif appeal.status in OPEN_APPEAL_STATUSES - {"info_requested"}:
                continue
    return sorted(found, key=lambda d: d.due)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _ics_escape(text: str) -> str:
    text = _CONTROL.sub("\ufffd", text)  # scraped text must not carry control characters
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF + space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def to_ics(deadlines: list[Deadline], now: datetime | None = None) -> str:
    """An iCalendar file a phone can import: one event per deadline, an alarm a day before."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//autofill//deadlines//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for item in deadlines:
        due = item.due.astimezone(timezone.utc)
        uid = f"{item.store}-{item.kind.replace(' ', '-')}-{item.appeal_id or item.notice_id}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_escape(uid)}@autofill",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{(due - timedelta(minutes=30)).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTEND:{due.strftime('%Y%m%dT%H%M%SZ')}",
            f"SUMMARY:{_ics_escape('Deadline: ' + item.what)}",
            f"DESCRIPTION:{_ics_escape(f'Store {item.store}, notice {item.notice_id}. ' + 'Due ' + due.isoformat())}",  # noqa: E501
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D",
            f"DESCRIPTION:{_ics_escape(item.what)}", "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
