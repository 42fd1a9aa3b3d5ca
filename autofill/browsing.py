"""A browser context for one store: its saved session, its origin only, no downloads.

The CLI's commands call `store_context`; tests and benchmarks can too.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from autofill import session
from autofill.browser import BrowserOptions, open_browser
from autofill.config import StoreConfig
from autofill.flowkit import confine
from autofill.registry import FlowPlatform, get

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext


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


@asynccontextmanager
async def store_context(
    browser: Browser,
    site: StoreSite,
    options: BrowserOptions,
    *,
    lean: bool = False,
    with_session: bool = True,
    record_har: Path | None = None,
) -> AsyncIterator[BrowserContext]:
    """A fresh context holding the store's saved session (LoginNeeded if none).

    `record_har`: also record the store's own origin as a HAR there (`autofill record`), written
    when the context closes.

    Over a DevTools endpoint (the seller's own Chrome) the seller's default context is used as
    it is: they are logged in there, and autofill only opens and closes its own tabs.
    """
    if options.endpoint and options.endpoint.startswith(("http://", "https://")):
        context = browser.contexts[0] if browser.contexts else await browser.new_context()
        yield context
        return
    state = session.load(site.name) if with_session else None
    context = await browser.new_context(
        storage_state=state,  # type: ignore[arg-type]
        accept_downloads=False,
        locale="zh-CN" if site.config.platform == "aliexpress" else "en-US",
        viewport={"width": 1280, "height": 900},
        **_har_options(record_har, site.base_url),
    )
    context.set_default_timeout(ELEMENT_TIMEOUT_MS)
    try:
        await confine(context, site.base_url, lean=lean)
        yield context
    finally:
        await context.close()


def _har_options(path: Path | None, base_url: str) -> dict[str, Any]:
    if path is None:
        return {}
    parts = urlsplit(base_url)
    origin = re.escape(f"{parts.scheme}://{parts.netloc}")
    return {"record_har_path": str(path), "record_har_content": "embed",
            "record_har_url_filter": re.compile(f"^{origin}(/|$)")}
