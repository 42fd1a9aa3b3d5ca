"""A browser context for one store: its saved session, its origin only, no downloads.

The CLI's commands call `store_context`; tests and benchmarks can too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from autofill import session
from autofill.browser import BrowserOptions, closed, open_browser
from autofill.config import StoreConfig
from autofill.flowkit import confine
from autofill.registry import FlowPlatform, get
from autofill.sessionhttp import SessionHttp

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Playwright


ELEMENT_TIMEOUT_MS = 10_000  # a server-rendered element missing after load is a changed page


@dataclass
class StoreSite:
    """A configured store with its flow and the base URL in force."""

    config: StoreConfig
    platform: FlowPlatform

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def base_url(self) -> str:
        return (self.config.base_url or self.platform.default_base_url).rstrip("/")


def site_for(config: StoreConfig) -> StoreSite:
    return StoreSite(config, get(config.platform))


def is_local_sandbox(base_url: str) -> bool:
    """True for a sandbox served on this machine (loopback address or localhost)."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@asynccontextmanager
async def launched(options: BrowserOptions) -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright  # noqa: PLC0415

    async with async_playwright() as pw:
        async with open_browser(pw, options) as browser:
            yield browser


class OnDemand:
    """The browser of one command, launched (or attached to) the first time it is needed and
    shared by every store the command works on: a scan that reads every page over HTTP starts
    neither a browser nor Playwright's driver."""

    def __init__(self, options: BrowserOptions, stack: AsyncExitStack) -> None:
        self.options, self._stack = options, stack
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Browser:
        async with self._lock:
            if self._browser is None:
                from playwright.async_api import async_playwright  # noqa: PLC0415

                if self._pw is None:
                    self._pw = await self._stack.enter_async_context(async_playwright())
                self._browser = await self._stack.enter_async_context(
                    open_browser(self._pw, self.options))
            return self._browser

    async def http_client(self, site: StoreSite) -> SessionHttp | None:
        """An HTTP client with the store's saved session, as the browser that logged in (None
        when there is no such thing to do without a browser: an endpoint's browser holds the
        session, or the session file does not say which browser logged in)."""
        if self.options.endpoint:
            return None
        agent = session.user_agent(site.name)
        if agent is None:
            return None
        return SessionHttp(site.base_url, session.load(site.name), user_agent=agent,
                           locale=_locale(site))


@asynccontextmanager
async def on_demand(options: BrowserOptions) -> AsyncIterator[OnDemand]:
    async with AsyncExitStack() as stack:
        yield OnDemand(options, stack)


@dataclass
class StoreAccess:
    """How a job reaches one store: a browser context now, or an HTTP client with the session
    and a way to open the context when a tab is first needed (FlowJob's three fields)."""

    context: BrowserContext | None
    request: SessionHttp | None
    open_context: Callable[[], Awaitable[BrowserContext]]


@asynccontextmanager
async def store_access(browsers: OnDemand, site: StoreSite, options: BrowserOptions, *,
                       lean: bool = True) -> AsyncIterator[StoreAccess]:
    """Reading without a browser where the session allows (`OnDemand.http_client`), else the
    store's context at once; whatever was opened is closed on the way out."""
    async with AsyncExitStack() as stack:
        client = await browsers.http_client(site)
        context: BrowserContext | None = None
        if client is None:
            context = await stack.enter_async_context(
                store_context(await browsers.get(), site, options, lean=lean))
        else:
            stack.push_async_callback(client.dispose)

        async def open_context() -> BrowserContext:
            """The tab's context, with the session as the HTTP client holds it now (once the
            browser is up: requests go on while it starts)."""
            browser = await browsers.get()
            state = dict(await client.storage_state()) if client is not None else None
            return await stack.enter_async_context(
                store_context(browser, site, options, lean=lean, state=state))

        yield StoreAccess(context, client, open_context)


def _locale(site: StoreSite) -> str:
    return "zh-CN" if site.config.platform == "aliexpress" else "en-US"


@asynccontextmanager
async def store_context(
    browser: Browser,
    site: StoreSite,
    options: BrowserOptions,
    *,
    lean: bool = False,
    with_session: bool = True,
    record_har: Path | None = None,
    state: dict[str, Any] | None = None,
) -> AsyncIterator[BrowserContext]:
    """A fresh context holding the store's saved session (LoginNeeded if none).

    `record_har`: also record the store's own origin as a HAR there (`autofill record`), written
    when the context closes. `state`: the session to start from instead of the saved one.

    Over a DevTools endpoint (the seller's own Chrome) the seller's default context is used as
    it is: they are logged in there, and autofill only opens and closes its own tabs.
    """
    if options.endpoint and options.endpoint.startswith(("http://", "https://")):
        context = browser.contexts[0] if browser.contexts else await browser.new_context()
        yield context
        return
    if state is None and with_session:
        state = session.load(site.name)
    context = await browser.new_context(
        storage_state=state,  # type: ignore[arg-type]
        accept_downloads=False,
        locale=_locale(site),
        viewport={"width": 1280, "height": 900},
        **_har_options(record_har, site.base_url),
    )
    context.set_default_timeout(ELEMENT_TIMEOUT_MS)
    try:
        await confine(context, site.base_url, lean=lean)
        yield context
    finally:
        await closed(context.close)


def _har_options(path: Path | None, base_url: str) -> dict[str, Any]:
    if path is None:
        return {}
    parts = urlsplit(base_url)
    origin = re.escape(f"{parts.scheme}://{parts.netloc}")
    return {"record_har_path": str(path), "record_har_content": "embed",
            "record_har_url_filter": re.compile(f"^{origin}(/|$)")}
