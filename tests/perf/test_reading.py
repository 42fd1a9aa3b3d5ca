"""Reading pages without opening them (autofill.reading) stays on the store's site and reads
what a person would see: a link or a redirect to another origin is never followed, a lean
context loads no images, a page built by scripts is opened and read once it is built, and both
ways of fetching read the sandbox exactly as the scan contract wants."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page

from autofill import session
from autofill.browser import BrowserOptions
from autofill.browsing import launched, site_for, store_context
from autofill.config import StoreConfig
from autofill.dom import Part, Reading, Role
from autofill.flowkit import PageFailed, ScanJob, confine
from autofill.models import Account, Appeal, Listing, Notice
from autofill.reading import read_each, read_page
from tests.conftest import Sandbox, Workspace

pytestmark = pytest.mark.browser

DETAILS = Reading("Product", {"product": Part(Role("region", "Product details")),
                              "links": Part(Role("link"), "text", each=True)}, key="product")
PAGE = """<!doctype html><html><head><title>Product</title></head><body><main>
<h1>Product</h1>
<section aria-label="Product details"><dl>
  <div><dt>SKU</dt><dd>SKU-{n}</dd></div>
  <div><dt>Listing</dt><dd><a href="/site/listing/{n}">open</a></dd></div>
</dl></section>
<img src="/site/photo.png" alt="">
<img src="{other}/other/photo.png" alt="">
<a href="{other}/other/help">Help Center</a>
</main></body></html>"""
BUILT_BY_SCRIPT = """<!doctype html><html><head><title>Product</title></head><body><main>
<h1>Product</h1><div id="app">Loading…</div>
<script>document.getElementById("app").outerHTML =
  '<section aria-label="Product details"><dl><div><dt>SKU</dt><dd>SKU-js</dd></div></dl>'
  + '</section>';</script>
</main></body></html>"""
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass
class TwoOrigins:
    """One local server answering as two origins: the store's site (127.0.0.1:port) and
    somewhere else (localhost:port). Every request is remembered."""

    port: int
    seen: list[tuple[str, str]] = field(default_factory=list)  # (host, path)

    @property
    def site(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def other(self) -> str:
        return f"http://localhost:{self.port}"

    def reached_other(self) -> list[str]:
        return [path for host, path in self.seen if host.startswith("localhost")]

    def reached(self, path: str) -> bool:
        return any(p == path for _, p in self.seen)


@pytest.fixture(scope="module")
def origins() -> Iterator[TwoOrigins]:
    state = TwoOrigins(0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            state.seen.append((self.headers.get("Host", ""), self.path))
            if self.path.startswith("/site/product/"):
                self._send(200, "text/html", PAGE.format(n=self.path.rsplit("/", 1)[1],
                                                          other=state.other).encode())
            elif self.path.startswith("/site/built/"):
                self._send(200, "text/html", BUILT_BY_SCRIPT.encode())
            elif self.path == "/site/away":
                self.send_response(302)
                self.send_header("Location", f"{state.other}/other/landing")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path.endswith(".png"):
                self._send(200, "image/png", PNG)
            else:
                self._send(200, "text/html", b"<!doctype html><title>x</title><p>elsewhere")

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


async def _no_login_page(page: Page) -> bool:
    return False


def _job(context: BrowserContext, site: str, read_by: str) -> ScanJob:
    return ScanJob(store="test", base_url=site + "/site", context=context,
                   is_login_page=_no_login_page, read_by=read_by)  # type: ignore[arg-type]


def _in_a_confined_context(origins: TwoOrigins, work: Any) -> Any:
    async def run() -> Any:
        async with launched(BrowserOptions()) as browser:
            context = await browser.new_context()
            await confine(context, origins.site + "/site", lean=True)
            try:
                return await work(context)
            finally:
                await context.close()

    return asyncio.run(run())


def test_a_link_to_another_origin_is_not_followed(origins: TwoOrigins) -> None:
    origins.seen.clear()

    async def work(context: BrowserContext) -> str:
        page = await context.new_page()
        await page.goto(origins.site + "/site/product/1")
        async with page.expect_event("requestfailed") as failed:
            await page.get_by_role("link", name="Help Center").click()
        return (await failed.value).url

    blocked = _in_a_confined_context(origins, work)
    assert blocked == origins.other + "/other/help"
    assert origins.reached_other() == []


def test_a_lean_context_loads_no_images_from_anywhere(origins: TwoOrigins) -> None:
    origins.seen.clear()

    async def work(context: BrowserContext) -> None:
        page = await context.new_page()
        await page.goto(origins.site + "/site/product/2", wait_until="load")

    _in_a_confined_context(origins, work)
    assert not origins.reached("/site/photo.png")
    assert origins.reached_other() == []


@pytest.mark.parametrize("read_by", ["request", "page"])
def test_a_page_sent_off_the_site_is_not_followed_further(origins: TwoOrigins,
                                                          read_by: str) -> None:
    """A fetch never follows a redirect; the page is then opened as a person's browser would
    (routes do not see redirects, so the browser asks for that one document), and a tab that
    lands off the site is a failed page: nothing of the other site loads, no link is read."""
    async def work(context: BrowserContext) -> str:
        job = _job(context, origins.site, read_by)
        page = await context.new_page()
        await page.goto(origins.site + "/site/product/3")  # on the site: `page` reads fetch
        with pytest.raises(PageFailed) as failed:
            await read_page(job, page, origins.site + "/site/away", DETAILS, page_name="Away")
        return failed.value.message  # the sentence; its hint (what to check) follows it

    origins.seen.clear()
    message = _in_a_confined_context(origins, work)
    assert message == f"Away: open: the site sent it to {origins.other}, off the store's site"
    # the landing document only; Chromium may also ask that origin for its icon by itself, a
    # request Playwright keeps out of what it sees and routes (playwright#7493)
    assert [p for p in origins.reached_other() if p != "/favicon.ico"] == ["/other/landing"]


@pytest.mark.parametrize("read_by", ["request", "page"])
def test_fetched_pages_read_as_on_screen_with_links_made_absolute(origins: TwoOrigins,
                                                                  read_by: str) -> None:
    origins.seen.clear()

    async def work(context: BrowserContext) -> dict[int, Any]:
        job = _job(context, origins.site, read_by)
        read: dict[int, Any] = {}
        await read_each(job, list(range(10, 16)), DETAILS,
                        url=lambda n: f"{origins.site}/site/product/{n}",
                        page_name=lambda n: f"Product {n}", step="read",
                        on_read=read.__setitem__, on_error=lambda n, err: None)
        return read

    read = _in_a_confined_context(origins, work)
    assert sorted(read) == list(range(10, 16))
    for n, parts in read.items():
        assert parts["product"]["SKU"]["text"] == f"SKU-{n}"
        assert parts["product"]["Listing"]["href"] == f"{origins.site}/site/listing/{n}"
        assert parts["links"] == ["open", "Help Center"]
    assert origins.reached_other() == []


def test_pages_built_by_scripts_are_opened_and_read_once_built(origins: TwoOrigins) -> None:
    async def work(context: BrowserContext) -> tuple[dict[int, Any], set[str]]:
        job = _job(context, origins.site, "request")
        read: dict[int, Any] = {}
        await read_each(job, [1, 2, 3], DETAILS,
                        url=lambda n: f"{origins.site}/site/built/{n}",
                        page_name=lambda n: f"Product {n}", step="read",
                        on_read=read.__setitem__, on_error=lambda n, err: None)
        return read, job.rendered_pages

    read, rendered = _in_a_confined_context(origins, work)
    assert {n: parts["product"]["SKU"]["text"] for n, parts in read.items()} == {
        1: "SKU-js", 2: "SKU-js", 3: "SKU-js"}
    assert rendered == {"Product"}, "the kind of page is opened from then on"


class _Kept:
    """A sink that keeps what a flow read."""

    def __init__(self) -> None:
        self.listings: list[Listing] = []
        self.notices: list[Notice] = []
        self.appeals: list[Appeal] = []
        self.errors: list[tuple[str, str, str]] = []

    def listing(self, item: Listing) -> None:
        self.listings.append(item)

    def notice(self, item: Notice) -> None:
        self.notices.append(item)

    def appeal(self, item: Appeal) -> None:
        self.appeals.append(item)

    def account(self, item: Account) -> None:
        pass

    def error(self, page: str, step: str, message: str) -> None:
        self.errors.append((page, step, message))

    def note(self, message: str) -> None:
        pass


def test_both_ways_of_fetching_read_the_sandbox_as_its_truth(clean_sandbox: Sandbox,
                                                             workspace: Workspace) -> None:
    workspace.login()
    site = site_for(StoreConfig(name="joom-sandbox", platform="joom",
                                base_url=clean_sandbox.base + "/joom"))
    assert session.exists(site.name)

    async def scan(read_by: str) -> _Kept:
        kept = _Kept()
        options = BrowserOptions()
        async with launched(options) as browser, \
                store_context(browser, site, options, lean=True) as context:
            job = ScanJob(store=site.name, base_url=site.base_url, context=context,
                          is_login_page=site.platform.is_login_page, sink=kept,
                          keep_tabs=True, read_by=read_by)  # type: ignore[arg-type]
            await site.platform.scan(job)
            await job.close_tabs()
        return kept

    truth = clean_sandbox.truth()
    listings = {x["listing_id"]: x for x in truth["listings"] if x["status"] != "active"}
    for read_by in ("request", "page"):
        kept = asyncio.run(scan(read_by))
        assert kept.errors == []
        assert sorted(x.listing_id for x in kept.listings) == sorted(listings)
        for item in kept.listings:
            want = listings[item.listing_id]
            assert (item.status, item.status_label, item.notice_id, item.url) == (
                want["status"], want["status_label"], want["notice_id"], want["url"])
        assert {n.notice_id for n in kept.notices} == {n["notice_id"] for n in truth["notices"]}
        assert {a.appeal_id for a in kept.appeals} == {a["appeal_id"] for a in truth["appeals"]}
