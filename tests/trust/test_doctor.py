"""Drift: `autofill doctor --store X` checks every page object's key elements on the live site and
names the page and element that no longer match."""

from __future__ import annotations

import pytest

from tests.conftest import Sandbox, Workspace

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # one table row per line


def _rows(output: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(page, element) -> (found, detail) from doctor's table."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 4 and cells[2] in ("yes", "NO"):
            rows[(cells[0], cells[1])] = (cells[2], cells[3])
    return rows


def test_doctor_finds_every_element_on_an_unchanged_site(
        clean_sandbox: Sandbox, workspace: Workspace, wide: None) -> None:
    workspace.login()
    result = workspace.run("doctor", "--store", STORE)
    assert result.code == 0, result.stderr
    rows = _rows(result.stderr)
    pages = {page for page, _ in rows}
    assert {"Dashboard", "Products > All Products", "Product > View Details", "Notifications",
            "Account Health", "Store Profile", "Support > Appeals",
            "Product > Appeal"} <= pages, pages
    assert rows[("Products > All Products", "Products table")][0] == "yes"
    assert all(found == "yes" for found, _ in rows.values()), rows
    assert "Everything looks ready." in result.stderr


def test_doctor_names_the_products_table_when_the_page_changed(
        clean_sandbox: Sandbox, workspace: Workspace, wide: None) -> None:
    workspace.login()
    clean_sandbox.state("joom", drift="products_table")
    result = workspace.run("doctor", "--store", STORE)
    assert result.code == 1, result.stderr
    rows = _rows(result.stderr)
    assert rows[("Products > All Products", "Products table")][0] == "NO"
    broken = [key for key, (found, _) in rows.items() if found == "NO"]
    assert broken == [("Products > All Products", "Products table")], broken
    assert "no longer match" in result.stderr
    assert "Traceback" not in result.stderr
    # read-only: the drift check submitted nothing
    assert clean_sandbox.truth()["submissions"] == []
