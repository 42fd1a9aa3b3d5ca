"""Logging in, in real Chromium: the human logs in, autofill keeps only the session; the pages a
seller walks through (Products, filter Removed, View Details, Appeal) are all there."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT, Sandbox, Workspace
from tests.flows.human import chrome_with_devtools

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


def test_a_seller_reaches_the_appeal_form_from_products(sandbox: Sandbox) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.goto(sandbox.url("/joom/products"))
        expect(page.get_by_role("heading", name="Log in to Joom Seller Center")).to_be_visible()
        page.get_by_label("Email").fill("demo@seller.example")
        page.get_by_label("Password").fill("sandbox-demo")
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Products").click()
        page.get_by_label("Status").select_option(label="Removed")
        page.get_by_role("button", name="Apply filter").click()
        table = page.get_by_role("table", name="Products")
        expect(table.get_by_role("cell", name="Removed").first).to_be_visible()
        expect(table.get_by_role("cell", name="Active", exact=True)).to_have_count(0)
        table.get_by_role("link", name="View Details").first.click()
        violation = page.get_by_role("region", name="Violation")
        expect(violation.get_by_text("Notification ID")).to_be_visible()
        page.get_by_role("link", name="Appeal", exact=True).click()
        form = page.get_by_role("form", name="Appeal")
        expect(form.get_by_label("Appeal type")).to_be_visible()
        expect(form.get_by_label("Statement (English)")).to_be_visible()
        expect(form.get_by_role("button", name="Submit appeal")).to_be_visible()
        browser.close()


def _login_process(workspace: Workspace, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "autofill", "--workspace", str(workspace.root), "login",
         "--store", STORE, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def test_login_waits_for_the_human_and_keeps_only_the_session(workspace: Workspace,
                                                              data_dir: Path) -> None:
    with chrome_with_devtools() as endpoint:
        proc = _login_process(workspace, "--browser-endpoint", endpoint, "--timeout", "60")
        with sync_playwright() as pw:
            browser = pw.chromium.connect_over_cdp(endpoint)
            context = browser.contexts[0]
            page = next((p for p in context.pages if "/login" in p.url), None)
            if page is None:  # the tab autofill opens on the login page
                page = context.wait_for_event("page", timeout=30_000)
                page.wait_for_url("**/login**")
            page.get_by_label("Email").fill("demo@seller.example")
            page.get_by_label("Password").fill("sandbox-demo")
            page.get_by_role("button", name="Log in").click()
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    saved = data_dir / "sessions" / f"{STORE}.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "sandbox-demo" not in saved.read_text(), "the password is never stored"
    assert not list(workspace.root.rglob("*.json")), "nothing session-like in the workspace"
    assert workspace.run("doctor").code in (0, 1)
    said = workspace.run("doctor").stderr
    assert f"Store '{STORE}'" in said and "session saved and valid" in said


def test_login_times_out_with_exit_3_when_nobody_logs_in(workspace: Workspace) -> None:
    with chrome_with_devtools() as endpoint:
        result = workspace.run("login", "--store", STORE, "--browser-endpoint", endpoint,
                               "--timeout", "3")
    assert result.code == 3
    assert "no login was seen within 3 s" in result.stderr


def test_demo_login_refuses_a_real_site(workspace: Workspace) -> None:
    toml = workspace.root / "autofill.toml"
    toml.write_text(toml.read_text().replace(workspace.sandbox.base + "/joom",
                                             "https://merchant.joom.com"))
    result = workspace.run("login", "--store", STORE, "--demo")
    assert result.code == 2
    assert "not a sandbox on this machine" in result.stderr
