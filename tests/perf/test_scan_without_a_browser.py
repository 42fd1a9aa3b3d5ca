"""A scan of server-rendered pages reads them over HTTP with the saved session and starts no
browser, nor even Playwright; the browser starts the moment a page has to be opened, with the
session as the HTTP client holds it then; a session saved before autofill kept the login
browser's user agent still scans (in the browser from the start)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from autofill import session
from autofill.browser import BrowserOptions
from autofill.browsing import on_demand, site_for
from autofill.config import StoreConfig
from autofill.dom import Part, Reading, Role
from autofill.flowkit import ScanJob
from autofill.reading import read_page
from tests.conftest import Sandbox, Workspace
from tests.perf.probe import run_fresh
from tests.truth import assert_scan_equals_truth

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


def test_a_joom_scan_reads_every_page_without_starting_a_browser(
        clean_sandbox: Sandbox, workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    workspace.login()
    assert session.user_agent(STORE), "login keeps the user agent of the browser it used"
    # no browser can start: a scan that tried would exit 2 naming the missing executable
    monkeypatch.setenv("AUTOFILL_BROWSER_PATH", str(tmp_path / "no-browser-here"))
    result = workspace.run("scan", "--store", STORE, "--json")
    assert result.code == 0, result.stderr
    assert_scan_equals_truth(result.json(), clean_sandbox.truth())


def test_a_scan_of_pages_served_ready_imports_no_playwright(
        clean_sandbox: Sandbox, workspace: Workspace, data_dir: Path) -> None:
    """Not even Playwright's driver starts: a scan over HTTP pays for no browser at all."""
    workspace.login()
    found = run_fresh(["scan", "--store", STORE, "--json"], workspace.root, data_dir)
    assert found["code"] == 0, found["stderr"]
    assert_scan_equals_truth(json.loads(str(found["stdout"])), clean_sandbox.truth())
    assert found["heavy"] == []


def test_a_session_saved_without_a_user_agent_scans_in_the_browser(
        clean_sandbox: Sandbox, workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    workspace.login()
    session.save(STORE, session.load(STORE))  # as an older autofill saved it
    assert session.user_agent(STORE) is None
    monkeypatch.setenv("AUTOFILL_BROWSER_PATH", str(tmp_path / "no-browser-here"))
    refused = workspace.run("scan", "--store", STORE)
    assert refused.code == 2 and "no-browser-here" in refused.stderr, refused.stderr
    monkeypatch.delenv("AUTOFILL_BROWSER_PATH")
    result = workspace.run("scan", "--store", STORE, "--json")
    assert result.code == 0, result.stderr
    assert_scan_equals_truth(result.json(), clean_sandbox.truth())


# --- the hand-over from HTTP to a tab -----------------------------------------------------------
BUILT_BY_SCRIPT = """<!doctype html><html><head><title>Product</title></head><body><main>
<h1>Product</h1><div id="app">Loading…</div>
<script>document.getElementById("app").outerHTML =
  '<section aria-label="Product details"><dl><div><dt>Visit</dt><dd>' + document.cookie
  + '</dd></div></dl></section>';</script>
</main></body></html>"""
DETAILS = Reading("Product", {"product": Part(Role("region", "Product details"))}, key="product")


@pytest.fixture
def site() -> Iterator[str]:
    """A page built by scripts, behind a first page that sets a cookie (the session moving on)."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            agent = self.headers.get("user-agent", "")
            body = BUILT_BY_SCRIPT.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            if self.path == "/site/first":
                self.send_header("set-cookie", "visit=second; Path=/")
                body = (f"<main><section aria-label='Product details'><dl><dt>Agent</dt>"
                        f"<dd>{agent}</dd></dl></section></main>").encode()
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_browser_starts_for_the_first_page_that_needs_a_tab_with_the_session_as_it_is(
        site: str, data_dir: Path) -> None:
    config = StoreConfig(name="shop", platform="joom", base_url=site + "/site")
    session.save("shop", {"cookies": [{"name": "visit", "value": "first", "domain": "127.0.0.1",
                                       "path": "/", "expires": -1, "httpOnly": False,
                                       "secure": False, "sameSite": "Lax"}], "origins": []},
                 user_agent="Chrome/156.0 (the login browser)")

    async def run() -> tuple[dict[str, Any], bool, dict[str, Any]]:
        async with on_demand(BrowserOptions()) as browsers:
            client = await browsers.http_client(site_for(config))
            assert client is not None

            async def open_context() -> Any:
                browser = await browsers.get()
                return await browser.new_context(storage_state=await client.storage_state())

            job = ScanJob(store="shop", base_url=site + "/site", context=None,
                          is_login_page=_no_login_page, read_by="request", request=client,
                          open_context=open_context)
            first = await read_page(job, None, site + "/site/first", DETAILS, page_name="First")
            opened_before = job.context is not None
            built = await read_page(job, None, site + "/site/built", DETAILS, page_name="Built")
            await client.dispose()
            return first, opened_before, built

    first, opened_before, built = asyncio.run(run())
    assert first["product"]["Agent"]["text"] == "Chrome/156.0 (the login browser)"
    assert not opened_before, "a page served ready needs no browser"
    assert built["product"]["Visit"]["text"] == "visit=second", "the cookie set over HTTP"


async def _no_login_page(_page: Any) -> bool:
    return False

