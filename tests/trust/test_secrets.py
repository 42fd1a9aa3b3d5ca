"""Secrets and boundaries: the session stays in the user's data folder (0600), out of every file a
scan and doctor leave in the workspace; the browser stays on the store's origin; no downloads."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from autofill import doctor as doctor_module
from autofill import scanning
from autofill.browser import BrowserOptions
from autofill.browsing import launched, on_demand, site_for, store_context
from autofill.config import StoreConfig
from autofill.flowkit import same_origin
from tests.conftest import Sandbox, Workspace

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


class WatchedBrowser:
    """The real browser, noting every request of every context opened through it."""

    def __init__(self, browser: Any, requests: list[str]) -> None:
        self._browser, self.requests = browser, requests

    async def new_context(self, **options: Any) -> Any:
        context = await self._browser.new_context(**options)
        context.on("request", lambda request: self.requests.append(request.url))
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


class WatchedClient:
    """The real HTTP client a scan reads pages with, noting every URL it asks for."""

    def __init__(self, client: Any, requests: list[str]) -> None:
        self._client, self.requests = client, requests

    async def get(self, url: str, **options: Any) -> Any:
        self.requests.append(url)
        return await self._client.get(url, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class WatchedOnDemand:
    """The command's browser and HTTP clients, watched."""

    def __init__(self, browsers: Any, requests: list[str]) -> None:
        self._browsers, self.requests = browsers, requests

    async def get(self) -> Any:
        return WatchedBrowser(await self._browsers.get(), self.requests)

    async def http_client(self, site: Any) -> Any:
        client = await self._browsers.http_client(site)
        return None if client is None else WatchedClient(client, self.requests)


@pytest.fixture
def requests_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the browser or the scan's HTTP client asked for during `scan` and `doctor`
    (even those aborted)."""
    seen: list[str] = []

    @asynccontextmanager
    async def watched(options: BrowserOptions) -> AsyncIterator[Any]:
        async with launched(options) as browser:
            yield WatchedBrowser(browser, seen)

    @asynccontextmanager
    async def watched_on_demand(options: BrowserOptions) -> AsyncIterator[Any]:
        async with on_demand(options) as browsers:
            yield WatchedOnDemand(browsers, seen)

    monkeypatch.setattr(scanning, "on_demand", watched_on_demand)
    monkeypatch.setattr(doctor_module, "launched", watched)
    return seen


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_the_session_never_reaches_the_workspace_and_the_scan_stays_on_the_origin(
        clean_sandbox: Sandbox, workspace: Workspace, data_dir: Path,
        requests_made: list[str]) -> None:
    workspace.login()
    scan = workspace.run("scan", "--store", STORE, "--json")
    assert scan.code == 0, scan.stderr
    doctor = workspace.run("doctor", "--store", STORE)
    assert doctor.code == 0, doctor.stderr

    session_file = data_dir / "sessions" / f"{STORE}.json"
    cookies = json.loads(session_file.read_text())["cookies"]
    secrets = [c["value"] for c in cookies if len(c["value"]) >= 8]
    assert secrets, "the sandbox's session cookie is in the saved state"
    files = _files(workspace.root)
    assert any(p.suffix == ".sqlite3" for p in files), "the scan left its store"
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"the session cookie is in {path}"
    for output in (scan.stdout, scan.stderr, doctor.stdout, doctor.stderr):
        assert not any(secret in output for secret in secrets)

    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(session_file.parent.stat().st_mode) & 0o077 == 0
    assert workspace.root.resolve() not in session_file.resolve().parents

    assert requests_made, "the watch saw the scan's requests"
    elsewhere = [u for u in requests_made if not same_origin(u, clean_sandbox.base)
                 and not u.startswith(("data:", "blob:"))]
    assert elsewhere == [], "the scan or doctor asked for another origin"
    assert not any("joom.com" in u for u in requests_made)


def test_a_session_folder_inside_the_workspace_is_refused(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(workspace.root / ".autofill" / "userdata"))
    result = workspace.run("login", "--store", STORE, "--demo")
    assert result.code == 2
    assert "inside the workspace" in result.stderr
    assert not (workspace.root / ".autofill" / "userdata").exists()


async def _in_store_context(sandbox: Sandbox, check: Any) -> Any:
    site = site_for(StoreConfig(name=STORE, platform="joom", base_url=sandbox.url("/joom")))
    options = BrowserOptions()
    async with launched(options) as browser, store_context(browser, site, options) as context:
        return await check(context)


def test_a_link_to_another_origin_in_a_notice_is_not_followed(
        clean_sandbox: Sandbox, workspace: Workspace) -> None:
    workspace.login()

    async def check(context: Any) -> dict[str, Any]:
        failed: list[tuple[str, str]] = []
        context.on("requestfailed", lambda r: failed.append((r.url, r.failure or "")))
        page = await context.new_page()
        await page.goto(clean_sandbox.url("/joom/notifications"))
        external = page.locator("a[href^='https://joom.com/']").first
        href = await external.get_attribute("href")
        async with context.expect_event("requestfailed") as blocked:
            await external.click()
        request = await blocked.value
        stayed = page.url
        fetched = await page.evaluate(
            "url => fetch(url).then(() => 'reached', e => 'refused: ' + e)", href)
        goto_error = ""
        try:
            await page.goto(href or "https://joom.com/")
        except Exception as err:  # noqa: BLE001 - the refusal is what is tested
            goto_error = str(err)
        return {"href": href, "blocked": request.url, "failure": request.failure,
                "goto": goto_error, "fetch": fetched, "page": stayed, "failed": failed}

    seen = asyncio.run(_in_store_context(clean_sandbox, check))
    assert seen["href"] and seen["href"].startswith("https://joom.com/")
    assert seen["blocked"] == seen["href"] and "BLOCKED_BY_CLIENT" in seen["failure"]
    assert "ERR_BLOCKED_BY_CLIENT" in seen["goto"]
    assert seen["fetch"].startswith("refused")
    assert seen["page"].startswith(clean_sandbox.base), "the tab stayed on the store"


def test_a_download_is_refused(clean_sandbox: Sandbox, workspace: Workspace) -> None:
    workspace.login()
    body = "listing_id,title\nsecret-report-row,1\n"

    async def check(context: Any) -> dict[str, Any]:
        page = await context.new_page()
        export = clean_sandbox.url("/joom/__test__/export.csv")

        async def serve_attachment(route: Any) -> None:  # a test-only route, not the sandbox
            await route.fulfill(status=200, body=body, headers={
                "Content-Type": "text/csv",
                "Content-Disposition": 'attachment; filename="export.csv"'})

        await page.route(export, serve_attachment)
        await page.goto(clean_sandbox.url("/joom/"))
        await page.evaluate("""url => { const a = document.createElement('a');
            a.href = url; a.textContent = 'Export'; document.body.append(a); }""", export)
        async with page.expect_download() as started:
            await page.get_by_role("link", name="Export").click()
        download = await started.value
        failure = await download.failure()
        try:
            saved: str | None = str(await download.path())
        except Exception as err:  # noqa: BLE001 - the refusal is what is tested
            saved = None
            failure = failure or str(err)
        return {"failure": failure, "saved": saved}

    seen = asyncio.run(_in_store_context(clean_sandbox, check))
    assert seen["saved"] is None
    assert "accept_downloads" in (seen["failure"] or "")
    assert not any(body.encode() in p.read_bytes() for p in _files(workspace.root))
