"""The browser: which Chromium to use, and the one place that launches or connects to it.

Discovery order (DESIGN.md): --browser-path / AUTOFILL_BROWSER_PATH; Playwright's own Chromium;
a system Chrome/Chromium. `--browser-endpoint` attaches instead: ws:// is a Playwright browser
server, http:// the DevTools endpoint of the seller's own Chrome.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from autofill.errors import BadInput, SiteChanged

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

NAV_TIMEOUT_MS = 30_000  # a page (navigation or request) that takes longer has failed

# Keep a closed network quiet: no background fetches, updates, sync or first-run pages.
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
]
SYSTEM_CANDIDATES = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/usr/bin/microsoft-edge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
]
SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge"]

HOW_TO_GET_ONE = (
    "Install one: `python -m playwright install chromium` (needs internet), or your OS "
    "package (Debian/Ubuntu: `sudo apt-get install chromium`), or point --browser-path / "
    "AUTOFILL_BROWSER_PATH at a Chrome or Chromium executable."
)


class BrowserNotFound(BadInput):
    """No usable Chromium: the message says exactly how to get one."""


@dataclass(frozen=True)
class BrowserOptions:
    headless: bool = True
    browser_path: str | None = None
    endpoint: str | None = None
    slow_mo: float = 0


@dataclass(frozen=True)
class BrowserChoice:
    executable: Path | None  # None: Playwright's own build (launch without executable_path)
    source: Literal["option", "environment", "playwright", "system"]


def _playwright_chromium() -> Path | None:
    """Playwright's own installed Chromium, found without starting its driver."""
    roots = []
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env and env != "0":
        roots.append(Path(env))
    home = Path.home()
    roots += [home / ".cache" / "ms-playwright", home / "Library" / "Caches" / "ms-playwright"]
    if os.environ.get("LOCALAPPDATA"):
        roots.append(Path(os.environ["LOCALAPPDATA"]) / "ms-playwright")
    patterns = [
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/*",
        "chromium-*/chrome-win*/chrome.exe",
    ]
    for root in roots:
        if root.is_dir():
            for pattern in patterns:
                found = sorted(root.glob(pattern), reverse=True)
                if found:
                    return found[0]
    return None


def find_browser(browser_path: str | None = None) -> BrowserChoice:
    """The Chromium to use, in the documented order, or BrowserNotFound saying how to get one."""
    for given, source in (
        (browser_path, "option"),
        (os.environ.get("AUTOFILL_BROWSER_PATH"), "environment"),
    ):
        if given:
            path = Path(given).expanduser()
            if not (path.is_file() and os.access(path, os.X_OK)):
                flag = "--browser-path" if source == "option" else "AUTOFILL_BROWSER_PATH"
                raise BrowserNotFound(
                    f"{flag}: {path} is not an executable file.", HOW_TO_GET_ONE
                )
            return BrowserChoice(path, source)  # type: ignore[arg-type]
    own = _playwright_chromium()
    if own is not None:
        return BrowserChoice(None, "playwright")
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return BrowserChoice(Path(candidate), "system")
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(Path(found), "system")
    raise BrowserNotFound("No Chrome or Chromium browser was found on this computer.",
                          HOW_TO_GET_ONE)


def describe(choice: BrowserChoice) -> str:
    """`/usr/bin/chromium (system): Chromium 131.0.6778.85` for doctor."""
    path = choice.executable or _playwright_chromium()
    version = "version unknown"
    if path is not None:
        try:
            out = subprocess.run(
                [str(path), "--version"], capture_output=True, text=True, timeout=15, check=False
            )
            version = (out.stdout or out.stderr).strip().splitlines()[0] if out.stdout else version
        except (OSError, subprocess.TimeoutExpired, IndexError):
            pass
    return f"{path} ({choice.source}): {version}"


@asynccontextmanager
async def open_browser(pw: Playwright, options: BrowserOptions) -> AsyncIterator[Browser]:
    """The single decision point: launch Chromium, or attach to a Playwright server or CDP."""
    from playwright.async_api import Error as PlaywrightError  # noqa: PLC0415

    endpoint = options.endpoint
    if endpoint:
        try:
            if endpoint.startswith(("ws://", "wss://")):
                browser = await pw.chromium.connect(endpoint, timeout=30_000)
            elif endpoint.startswith(("http://", "https://")):
                browser = await pw.chromium.connect_over_cdp(endpoint, timeout=30_000)
            else:
                raise BadInput(
                    f"--browser-endpoint {endpoint}: expected ws://host:port/... (a Playwright "
                    "browser server) or http://host:port (Chrome started with "
                    "--remote-debugging-port)."
                )
        except PlaywrightError as err:
            raise SiteChanged(
                "browser endpoint", "connect", f"could not attach to {endpoint}: "
                f"{str(err).splitlines()[0]}",
                "Check that the browser server or Chrome is running and reachable.",
            ) from err
        try:
            yield browser
        finally:
            if endpoint.startswith(("ws://", "wss://")):
                await closed(browser.close)
            # over CDP the browser is the seller's own: leave it running
        return
    choice = find_browser(options.browser_path)
    try:
        browser = await pw.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            headless=options.headless,
            args=LAUNCH_ARGS,
            slow_mo=options.slow_mo,
        )
    except PlaywrightError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else "unknown error"
        text = str(err).lower()
        if not options.headless and ("display" in text or "xserver" in text):
            raise BadInput(
                "The browser could not open a window: this computer has no display.",
                "Run on a desktop session, or under a virtual screen: xvfb-run -a autofill ...",
            ) from err
        raise BrowserNotFound(f"The browser {choice.executable} did not start: {first}",
                              HOW_TO_GET_ONE) from err
    try:
        yield browser
    finally:
        await closed(browser.close)


class _PlaywrightNotLoaded(Exception):
    """Never raised: stands for Playwright's errors while Playwright is not loaded."""


def playwright_error(name: str = "Error") -> type[Exception]:
    """Playwright's error class `name` (Error, TimeoutError), for `except playwright_error():`
    or `isinstance`. An except clause is evaluated only when something was raised, and
    Playwright raises nothing before it is loaded: code that may meet a browser's errors need
    not import Playwright before it has a browser (a scan that reads every page over HTTP)."""
    if "playwright" not in sys.modules:
        return _PlaywrightNotLoaded
    import playwright.async_api  # noqa: PLC0415

    error: type[Exception] = getattr(playwright.async_api, name)
    return error


def browser_gone(err: BaseException) -> bool:
    """The browser, the context or the tab is gone: nothing to try again (the scan stops and
    keeps what it read), unlike a page that failed."""
    from playwright._impl._errors import TargetClosedError  # noqa: PLC0415 - not re-exported

    return isinstance(err, TargetClosedError)


async def closed(close: Callable[[], Awaitable[object]]) -> None:
    """Close a browser, context or HTTP client that may be gone already (the browser or
    Playwright's driver was killed): nothing is left to close then, and the reason the work
    stopped is what the user needs to hear, not this."""
    from playwright.async_api import Error as PlaywrightError  # noqa: PLC0415

    try:
        await close()
    except PlaywrightError:
        pass
