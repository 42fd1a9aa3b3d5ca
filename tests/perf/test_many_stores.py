"""`autofill scan --all`: every store of the workspace, a few at a time, each in its own browser
context with its own session; one store's failure does not stop the others."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Sandbox, Workspace

pytestmark = pytest.mark.browser

STORES = ("joom-north", "joom-south", "joom-east")
TOML = """\
[scan]
stores_at_once = 2

""" + "".join(f"""\
[[stores]]
name = "{name}"
platform = "joom"
base_url = "{{base}}/joom"
legal_name = "Shenzhen Sandbox Trading Co., Ltd."

""" for name in STORES)


@pytest.fixture
def three_stores(tmp_path: Path, clean_sandbox: Sandbox, data_dir: Path) -> Workspace:
    root = tmp_path / "agency"
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text(TOML.format(base=clean_sandbox.base), encoding="utf-8")
    return Workspace(root, clean_sandbox)


def test_scan_all_scans_the_stores_with_a_session_and_names_the_one_without(
        three_stores: Workspace) -> None:
    north, south, east = STORES
    three_stores.login(north)  # each its own session, saved under its own name
    three_stores.login(east)
    result = three_stores.run("scan", "--all", "--json")
    assert result.code == 1, result.stderr
    truth = three_stores.sandbox.truth()
    needs_attention = {x["listing_id"] for x in truth["listings"] if x["status"] != "active"}

    data = result.json()
    assert [d["store"] for d in data] == list(STORES), "one object per store, in the toml's order"
    for scanned in (data[0], data[2]):
        assert {x["listing_id"] for x in scanned["listings"]} == needs_attention
        assert {n["notice_id"] for n in scanned["notices"]} == {
            n["notice_id"] for n in truth["notices"]}
        assert scanned["errors"] == []
    skipped = data[1]
    assert skipped["listings"] == skipped["notices"] == skipped["appeals"] == []
    assert len(skipped["errors"]) == 1
    assert f"autofill login --store {south}" in skipped["errors"][0]["message"]

    assert f"{south}: Store '{south}': login needed" in result.stderr
    assert f"1 store(s) not scanned ({south})" in result.stderr
    assert "Traceback" not in result.stderr
    db = sqlite3.connect(three_stores.root / ".autofill" / "store.sqlite3")
    kept = dict(db.execute("SELECT store, count(*) FROM listings GROUP BY store").fetchall())
    assert kept == {north: len(needs_attention), east: len(needs_attention)}


def test_scan_all_in_the_terminal_shows_every_scanned_store_and_the_failure(
        three_stores: Workspace) -> None:
    north, south, east = STORES
    three_stores.login(north)
    three_stores.login(south)
    result = three_stores.run("scan", "--all")
    assert result.code == 1
    assert f"{east}: Store '{east}': login needed" in result.stderr
    assert f"Run: autofill login --store {east}" in result.stderr
    for name in (north, south):
        assert name in result.stderr
