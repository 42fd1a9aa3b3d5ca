"""Scan against the Joom sandbox in real Chromium: what it finds equals the sandbox's truth."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Sandbox, Workspace, make_workspace
from tests.truth import assert_scan_equals_truth

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


@pytest.fixture
def big(big_sandbox: Sandbox, tmp_path: Path, data_dir: Path) -> Iterator[Workspace]:
    """A workspace on the 500-listing sandbox, reset around the test."""
    big_sandbox.reset()
    yield make_workspace(tmp_path / "big", big_sandbox)
    big_sandbox.reset()


def test_scan_finds_every_non_active_listing_once_equal_to_truth(big: Workspace) -> None:
    workspace, clean_sandbox = big, big.sandbox
    workspace.login()
    result = workspace.run("scan", "--store", STORE, "--json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["store"] == STORE and data["platform"] == "joom"
    assert_scan_equals_truth(data, clean_sandbox.truth())
    batch = [n for n in data["notices"] if len(n["listing_ids"]) >= 8]
    assert batch, "the seeded batch removal is one notice with many listings"


def test_scan_with_scrambled_markup_still_equals_truth(big: Workspace) -> None:
    workspace, clean_sandbox = big, big.sandbox
    workspace.login()
    clean_sandbox.faults(scramble=True)
    result = workspace.run("scan", "--store", STORE, "--json")
    assert result.code == 0, result.stderr
    assert_scan_equals_truth(result.json(), clean_sandbox.truth())


def test_no_session_exits_3_with_the_login_command(workspace: Workspace) -> None:
    result = workspace.run("scan", "--store", STORE)
    assert result.code == 3
    assert f"run: autofill login --store {STORE}" in result.stderr.lower()


def test_rescan_reports_new_changed_and_resolved(clean_sandbox: Sandbox,
                                                 workspace: Workspace) -> None:
    workspace.login()
    assert workspace.run("scan", "--store", STORE).code == 0
    truth = clean_sandbox.truth()
    removed = [x for x in truth["listings"] if x["status"] == "removed"]
    clean_sandbox.state("joom", listing={"listing_id": removed[0]["listing_id"],
                                         "status": "active"})
    clean_sandbox.state("joom", listing={"listing_id": removed[1]["listing_id"],
                                         "status": "inactive"})
    active = [x for x in truth["listings"] if x["status"] == "active"]
    clean_sandbox.state("joom", listing={"listing_id": active[0]["listing_id"],
                                         "status": "removed"})
    second = workspace.run("scan", "--store", STORE)
    assert second.code == 0, second.stderr
    assert "1 new listing(s)" in second.stderr
    assert "1 resolved" in second.stderr
    assert f"changed {removed[1]['listing_id']}: status removed -> inactive" in second.stderr


def test_deadlines_lists_and_exports_without_a_browser(clean_sandbox: Sandbox,
                                                       workspace: Workspace) -> None:
    import icalendar

    workspace.login()
    assert workspace.run("scan", "--store", STORE).code == 0
    result = workspace.run("deadlines", "--json", "--ics", "deadlines.ics")
    assert result.code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed and listed == sorted(listed, key=lambda d: d["due"])
    cal = icalendar.Calendar.from_ical((workspace.root / "deadlines.ics").read_bytes())
    assert len(list(cal.walk("VEVENT"))) == len(listed)


def test_a_changed_page_exits_4_naming_the_page(clean_sandbox: Sandbox,
                                                workspace: Workspace) -> None:
    workspace.login()
    clean_sandbox.state("joom", drift="products_table")
    result = workspace.run("scan", "--store", STORE)
    assert result.code == 4, result.stderr
    assert "Products > All Products" in result.stderr
    assert "Traceback" not in result.stderr
