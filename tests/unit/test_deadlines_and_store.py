"""Deadline arithmetic, the calendar export, and the store's history (new/changed/resolved)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar

from autofill.deadlines import Deadline, add_business_days, open_deadlines, to_ics
from autofill.models import Appeal, Listing, Notice
from autofill.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # a Friday


def test_five_business_days_skip_the_weekend() -> None:
    assert add_business_days(T0, 5) == T0 + timedelta(days=7)
    assert add_business_days(T0 + timedelta(days=3), 5) == T0 + timedelta(days=10)


def test_ics_is_read_by_a_standard_parser() -> None:
    long_text = ("Appeal NTF-1 (Missing Certificate: SAR Test Report (Bluetooth Earphones), "
                 "3 listing(s)) 中文")
    items = [Deadline(T0, "shop", "appeal window", "NTF-1", None, long_text),
             Deadline(T0 + timedelta(days=1), "shop", "information request", "NTF-2", "APL-1",
                      "Send more, now; please")]
    cal = icalendar.Calendar.from_ical(to_ics(items))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    assert str(events[0]["SUMMARY"]) == "Deadline: " + long_text
    assert events[0].decoded("DTEND") == T0
    assert str(events[1]["SUMMARY"]).endswith("Send more, now; please")
    assert list(events[0].walk("VALARM"))


def _listing(i: str, status: str = "removed") -> Listing:
    return Listing(listing_id=i, status=status, status_label=status.title(), notice_id="NTF-1")


def test_rescan_reports_new_changed_and_resolved(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    first = store.begin_scan("shop", "joom")
    store.save_listings(first, "shop", [_listing("a"), _listing("b")])
    diff = store.finish_scan(first, "shop", complete=True)
    assert sorted(i for _, i in diff.new) == ["a", "b"]
    second = store.begin_scan("shop", "joom")
    store.save_listings(second, "shop", [_listing("a", "inactive"), _listing("c")])
    diff = store.finish_scan(second, "shop", complete=True)
    assert ("listing", "c") in diff.new
    assert ("listing", "a", "status", "removed", "inactive") in diff.changed
    assert ("listing", "b") in diff.resolved
    assert sorted(x.listing_id for x in store.listings("shop")) == ["a", "c"]


def test_interrupted_scan_keeps_what_it_read_and_resolves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    first = store.begin_scan("shop", "joom")
    store.save_listings(first, "shop", [_listing("a"), _listing("b")])
    store.finish_scan(first, "shop", complete=True)
    second = store.begin_scan("shop", "joom")
    store.save_listings(second, "shop", [_listing("a")])
    diff = store.finish_scan(second, "shop", complete=False)
    assert diff.resolved == []
    third = store.begin_scan("shop", "joom")
    store.save_listings(third, "shop", [_listing("a"), _listing("b")])
    store.finish_scan(third, "shop", complete=True)
    assert sorted(x.listing_id for x in store.listings("shop")) == ["a", "b"]


def test_closed_windows_are_not_open_deadlines(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    scan = store.begin_scan("shop", "joom")
    store.save_notices(scan, "shop", [Notice(notice_id="NTF-9", violation_type="x",
                                             appeal_deadline=T0)])
    assert open_deadlines(store, ["shop"], now=T0 + timedelta(hours=1)) == []
    assert len(open_deadlines(store, ["shop"], now=T0 - timedelta(hours=1))) == 1


def test_open_deadlines_skip_appealed_notices(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    scan = store.begin_scan("shop", "joom")
    store.save_notices(scan, "shop", [
        Notice(notice_id="NTF-1", violation_type="x", appeal_deadline=T0),
        Notice(notice_id="NTF-2", violation_type="y", appeal_deadline=T0 + timedelta(days=1)),
    ])
    store.save_appeals(scan, "shop", [
        Appeal(appeal_id="APL-1", notice_id="NTF-2", status="info_requested",
               info_request_deadline=T0 - timedelta(days=1)),
    ])
    store.finish_scan(scan, "shop", complete=True)
    found = open_deadlines(store, ["shop"], now=T0 - timedelta(days=2))
    assert [(d.kind, d.notice_id) for d in found] == [
        ("information request", "NTF-2"), ("appeal window", "NTF-1")]
