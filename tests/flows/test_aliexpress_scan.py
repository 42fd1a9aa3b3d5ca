"""Scan against the AliExpress sandbox (Chinese UI) in real Chromium: what it finds equals the
sandbox's truth, including records that can never be appealed, their points, and the account."""

from __future__ import annotations

from typing import Any

import pytest

from autofill.store import Store
from flows.aliexpress.labels import TALLIES
from tests.conftest import Sandbox, Workspace
from tests.truth import assert_scan_equals_truth

pytestmark = pytest.mark.browser
STORE = "ali-sandbox"


def _assert_store_keeps_the_rest(workspace: Workspace, truth: dict[str, Any]) -> None:
    """What the JSON contract leaves out but the store keeps: points, appealability, kinds,
    rejection codes, supplements used, the account's standing and point tallies."""
    store = Store(workspace.root / ".autofill" / "store.sqlite3")
    try:
        notices = {n.notice_id: n for n in store.notices(STORE, open_only=False)}
        for want in truth["notices"]:
            have = notices[want["notice_id"]]
            assert have.points == want["points"], want["notice_id"]
            assert have.appealable is want["appealable"], want["notice_id"]
            assert have.kind == want["category"], want["notice_id"]
        appeals = {a.appeal_id: a for a in store.appeals(STORE)}
        for want in truth["appeals"]:
            have = appeals[want["appeal_id"]]
            assert have.rejection_code == want["rejection_code"], want["appeal_id"]
            assert have.supplements_used == want["supplements_used"], want["appeal_id"]
            assert have.status_label == want["status_label"]
        listings = {x.listing_id: x for x in store.listings(STORE, open_only=False)}
        models = {x["listing_id"]: x for x in truth["listings"]}
        for listing_id, listing in listings.items():
            assert listing.model == models[listing_id]["model"]
            assert listing.daily_gmv == models[listing_id]["daily_gmv"]
        account = store.account(STORE)
    finally:
        store.close()
    assert account is not None
    want_account = truth["account"]
    assert account.state == want_account["state"] and account.is_active
    assert account.legal_name == truth["store"]["legal_name"]
    for key in TALLIES.values():
        assert account.figures[key] == str(want_account["points"][key.split(".", 1)[1]]), key
    for key, value in want_account["counters"].items():
        assert account.figures[key] == str(value), key
    assert account.figures["kyc"] == want_account["kyc"]
    assert account.figures["enterprise_verification"] == want_account["enterprise_verification"]


def test_scan_reads_every_record_product_and_appeal_equal_to_truth(
        clean_sandbox: Sandbox, workspace: Workspace) -> None:
    workspace.login(STORE)
    result = workspace.run("scan", "--store", STORE, "--json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["store"] == STORE and data["platform"] == "aliexpress"
    truth = clean_sandbox.truth("aliexpress")
    assert_scan_equals_truth(data, truth)
    _assert_store_keeps_the_rest(workspace, truth)
    assert any(len(n["listing_ids"]) >= 8 for n in data["notices"]), "the batch record"
    never = [n for n in truth["notices"] if not n["appealable"]]
    assert never and all(
        next(x for x in data["notices"] if x["notice_id"] == n["notice_id"])["appeal_deadline"]
        is None for n in never), "records that can never be appealed are kept, without deadline"


def test_no_session_exits_3_with_the_login_command(workspace: Workspace) -> None:
    result = workspace.run("scan", "--store", STORE)
    assert result.code == 3
    assert f"run: autofill login --store {STORE}" in result.stderr.lower()
