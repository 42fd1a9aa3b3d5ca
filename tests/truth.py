"""The one comparison of a scan's contract output with the sandbox's ground truth."""

from __future__ import annotations

from typing import Any

LISTING_FIELDS = ("sku", "title", "status", "status_label", "notice_id", "url")
NOTICE_FIELDS = ("violation_type", "rule_ref", "issued_at", "appeal_deadline")
APPEAL_FIELDS = ("notice_id", "listing_id", "status", "submitted_at", "info_request_deadline")


def assert_scan_equals_truth(data: dict[str, Any], truth: dict[str, Any]) -> None:
    """Every non-active listing exactly once with every field equal, every notice with its full
    listing set, every appeal; no scan errors."""
    listings = {x["listing_id"]: x for x in truth["listings"] if x["status"] != "active"}
    found = [x["listing_id"] for x in data["listings"]]
    assert len(found) == len(set(found)), "a listing was reported twice"
    assert set(found) == set(listings), "missing or extra listings"
    for item in data["listings"]:
        want = listings[item["listing_id"]]
        for key in LISTING_FIELDS:
            assert item[key] == want[key], (item["listing_id"], key, item[key], want[key])
    notices = {n["notice_id"]: n for n in truth["notices"]}
    got = {n["notice_id"]: n for n in data["notices"]}
    assert len(got) == len(data["notices"]), "a notice was reported twice"
    assert set(got) == set(notices), "missing or extra notices"
    for notice_id, want in notices.items():
        have = got[notice_id]
        assert set(have["listing_ids"]) == set(want["listing_ids"]), notice_id
        for key in NOTICE_FIELDS:
            assert have[key] == want[key], (notice_id, key, have[key], want[key])
    appeals = {a["appeal_id"]: a for a in truth["appeals"]}
    assert {a["appeal_id"] for a in data["appeals"]} == set(appeals), "missing or extra appeals"
    for appeal in data["appeals"]:
        want = appeals[appeal["appeal_id"]]
        for key in APPEAL_FIELDS:
            assert appeal[key] == want[key], (appeal["appeal_id"], key, appeal[key], want[key])
    assert data["errors"] == []
