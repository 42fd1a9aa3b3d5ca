"""`autofill record`: the Seller Center captured as a scrubbed HAR, with what a scan reads from it.

A recording is a folder `recordings/<platform>/<name>/`:
- `session.har`: the store's own pages as the browser received them, scrubbed (autofill.scrub)
  before it is written; the raw capture only ever exists in a private temporary folder;
- `expected.json`: what the platform's scan extracts from that HAR, replayed offline (no network),
  which the seller checks against what they saw before sharing;
- `meta.json`: platform, base URL, when, how it was navigated, what the scrubber replaced.

Tests replay every recording (`replay`) and compare with `expected.json`, so a flow change that
reads a real page differently is caught without touching the site.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from autofill import __version__, session
from autofill.artifacts import session_secrets
from autofill.browser import BrowserOptions
from autofill.browsing import StoreSite, launched, site_for, store_context
from autofill.config import StoreConfig
from autofill.context import AppContext
from autofill.errors import BadInput, LoginNeeded, NotSubmitted, SiteChanged
from autofill.flowkit import PageFailed, ScanJob
from autofill.models import Account, Appeal, Listing, Notice, ScanError, ScanResult
from autofill.scrub import Scrubber, scrub_file

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page

HAR = "session.har"
EXPECTED = "expected.json"
META = "meta.json"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
READ_BY_SCANS = frozenset({"document", "xhr", "fetch"})  # what a missing page means
NOT_RECORDED = ("<!doctype html><title>Not in this recording</title>"
                "<h1>Not in this recording</h1>")

# Browses the store in a recording context; a scripted navigation returns what its scan read.
Navigate = Callable[["BrowserContext", StoreSite], Awaitable["MemorySink | None"]]


@dataclass
class Recording:
    """A recording written to `folder`, with what the scrubber replaced and the replay found."""

    folder: Path
    expected: dict[str, Any]
    scrubbed: dict[str, int]
    missing: list[str]

    @property
    def har(self) -> Path:
        return self.folder / HAR


@dataclass
class Replay:
    """A scan replayed from a HAR: its normalized results and the pages the HAR lacked."""

    expected: dict[str, Any]
    missing: list[str]


class MemorySink:
    """Keeps what a scan reads in memory, one record per id (the last read wins, as in the
    store)."""

    def __init__(self) -> None:
        self.listings: dict[str, Listing] = {}
        self.notices: dict[str, Notice] = {}
        self.appeals: dict[str, Appeal] = {}
        self.errors: list[ScanError] = []
        self.notes: list[str] = []
        self.accounts: list[Account] = []

    def listing(self, item: Listing) -> None:
        self.listings[item.listing_id] = item

    def notice(self, item: Notice) -> None:
        self.notices[item.notice_id] = item

    def appeal(self, item: Appeal) -> None:
        self.appeals[item.appeal_id] = item

    def account(self, item: Account) -> None:
        self.accounts.append(item)

    def error(self, page: str, step: str, message: str) -> None:
        self.errors.append(ScanError(page=page, step=step, message=message))

    def note(self, message: str) -> None:
        self.notes.append(message)

    def result(self, store: str, platform: str) -> ScanResult:
        return ScanResult(
            store=store, platform=platform,  # type: ignore[arg-type]
            scanned_at=datetime.now(timezone.utc),
            listings=list(self.listings.values()), notices=list(self.notices.values()),
            appeals=list(self.appeals.values()), errors=self.errors,
        )


def expected_from(contract: dict[str, Any]) -> dict[str, Any]:
    """The scan contract without what varies between runs (store name, time), in a stable
    order (pages are read concurrently)."""
    return {
        "platform": contract["platform"],
        "listings": sorted(contract["listings"], key=lambda x: x["listing_id"]),
        "notices": sorted(
            ({**n, "listing_ids": sorted(n["listing_ids"])} for n in contract["notices"]),
            key=lambda n: n["notice_id"],
        ),
        "appeals": sorted(contract["appeals"], key=lambda a: a["appeal_id"]),
        "errors": sorted(contract["errors"], key=lambda e: (e["page"], e["step"], e["message"])),
    }


async def run_scan(context: BrowserContext, site: StoreSite, concurrency: int = 3) -> MemorySink:
    """The platform's scan in `context`; an error that stops it is kept as a scan error."""
    sink = MemorySink()
    # the job as `autofill scan` builds it (autofill.scanning), with a sink of its own
    job = ScanJob(store=site.name, base_url=site.base_url, context=context,
                  is_login_page=site.platform.is_login_page, concurrency=concurrency, sink=sink,
                  keep_tabs=True)
    try:
        await site.platform.scan(job)
    except (PageFailed, SiteChanged) as err:
        sink.error(err.page, err.step, err.detail)
    except LoginNeeded as err:
        sink.error("(session)", "scan", err.message)
    finally:
        await job.close_tabs()
    return sink


async def scan_navigation(context: BrowserContext, site: StoreSite) -> MemorySink:
    """Scripted navigation: the scan itself, so the HAR holds every page it reads."""
    return await run_scan(context, site)


def seller_navigation(*, until_url: str | None, timeout: float,
                      say: Callable[[str], None] = lambda _: None) -> Navigate:
    """The seller browses; the recording ends when every tab is closed, when a tab reaches
    `until_url` (a glob such as `*/support/appeals*`), or after `timeout` seconds."""

    async def navigate(context: BrowserContext, site: StoreSite) -> None:
        done = asyncio.Event()

        def closed(_: object = None) -> None:
            if all(p.is_closed() for p in context.pages):
                done.set()

        def watch(page: Page) -> None:
            page.on("close", closed)
            if until_url:
                page.on("framenavigated", lambda frame: done.set() if (
                    frame == page.main_frame and fnmatch(frame.url, until_url)) else None)

        context.on("page", watch)
        if context.browser is not None:
            context.browser.on("disconnected", lambda _: done.set())
        page = await context.new_page()  # watched through the "page" event, like the seller's
        await page.goto(site.base_url + "/", wait_until="domcontentloaded")
        try:
            await asyncio.wait_for(done.wait(), timeout)
        except asyncio.TimeoutError:
            say(f"{timeout:.0f} s passed: the recording ends here.")
        return None

    return navigate


async def capture(browser: Browser, site: StoreSite, options: BrowserOptions, har: Path,
                  navigate: Navigate, *, lean: bool) -> list[str]:
    """Record the store's origin as a raw HAR at `har` while `navigate` runs; the legal names a
    scripted scan read on the way (to scrub them even when autofill.toml spells them otherwise).
    """
    from playwright.async_api import Error as PlaywrightError  # noqa: PLC0415

    seen: list[str] = []
    try:
        async with store_context(browser, site, options, lean=lean, record_har=har) as context:
            sink = await navigate(context, site)
            seen = [a.legal_name for a in sink.accounts] if sink is not None else []
    except PlaywrightError as err:
        if not har.is_file():
            raise NotSubmitted(
                "The browser closed before the recording could be saved: nothing was written.",
                "Next time close the tab (or let --until-url end it), not the whole browser.",
            ) from err
    if not har.is_file():
        raise NotSubmitted("The browser did not save the recording: nothing was written.")
    return [name for name in seen if name.strip()]


async def replay(har: Path, platform: str, base_url: str, *, browser: Browser | None = None,
                 options: BrowserOptions | None = None) -> Replay:
    """Run the platform's scan against `har` offline: nothing reaches a network or a sandbox.

    A request the HAR holds is answered from it; one on the store's origin it does not hold is
    answered 404 "not in this recording" (counted as missing when a scan reads such pages);
    any other origin is blocked as in every store context. (Aborting the missing ones instead
    leaves Chromium's error page reloading itself, and a tab that never closes.)
    """
    from playwright.async_api import Route  # noqa: PLC0415

    options = options or BrowserOptions()
    if browser is None:
        async with launched(options) as own:
            return await replay(har, platform, base_url, browser=own, options=options)
    site = site_for(StoreConfig(name="recording", platform=platform,  # type: ignore[arg-type]
                                base_url=base_url))
    missing: list[str] = []

    async def not_recorded(route: Route) -> None:
        if route.request.resource_type in READ_BY_SCANS:
            missing.append(route.request.url)
        await route.fulfill(status=404, content_type="text/html; charset=utf-8",
                            body=NOT_RECORDED)

    async with store_context(browser, site, options, lean=True, with_session=False) as context:
        await context.route(_own_origin(base_url), not_recorded)
        await context.route_from_har(har, not_found="fallback")  # runs first: the last added
        sink = await run_scan(context, site)
    contract = sink.result(site.name, platform).contract()
    return Replay(expected_from(contract), sorted(set(missing)))


def _own_origin(base_url: str) -> re.Pattern[str]:
    parts = urlsplit(base_url)
    return re.compile("^" + re.escape(f"{parts.scheme}://{parts.netloc}") + "(?=[/?#]|$)")


def read_meta(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / META).read_text(encoding="utf-8"))
    return data


async def replay_folder(folder: Path, *, browser: Browser | None = None,
                        options: BrowserOptions | None = None) -> Replay:
    meta = read_meta(folder)
    return await replay(folder / HAR, meta["platform"], meta["base_url"], browser=browser,
                        options=options)


async def record(site: StoreSite, options: BrowserOptions, folder: Path, navigate: Navigate, *,
                 legal_names: Iterable[str], secrets: Iterable[str] = (),
                 navigation: str = "scan", lean: bool = True,
                 browser: Browser | None = None) -> Recording:
    """Capture, scrub into `folder`, replay the scrubbed HAR offline for `expected.json`."""
    if browser is None:
        async with launched(options) as own:
            return await record(site, options, folder, navigate, legal_names=legal_names,
                                secrets=secrets, navigation=navigation, lean=lean, browser=own)
    with tempfile.TemporaryDirectory(prefix="autofill-record-") as private:
        raw = Path(private) / "raw.har"  # unscrubbed: never leaves this private folder
        seen = await capture(browser, site, options, raw, navigate, lean=lean)
        names = sorted({*legal_names, *seen})
        counts = scrub_file(raw, folder / HAR, Scrubber(legal_names=names, secrets=secrets))
    # the offline replay never needs a window: over a headed capture, a hidden browser of its own
    hidden = options if options.headless else replace(options, headless=True)
    found = await replay(folder / HAR, site.config.platform, site.base_url,
                         browser=browser if options.headless else None, options=hidden)
    _write_json(folder / EXPECTED, found.expected)
    _write_json(folder / META, {
        "platform": site.config.platform,
        "base_url": site.base_url,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "autofill": __version__,
        "navigation": navigation,
        "scrubbed": counts,
        "pages_missing": found.missing,
    })
    return Recording(folder, found.expected, counts, found.missing)


async def record_scripted(site: StoreSite, options: BrowserOptions, folder: Path, *,
                          legal_names: Iterable[str], browser: Browser | None = None
                          ) -> Recording:
    """Record the platform's scan itself (tests, `recordings/make_sandbox_recordings.py`,
    `autofill record --scan`)."""
    return await record(site, options, folder, scan_navigation, legal_names=legal_names,
                        secrets=_session_secrets(site.name), browser=browser)


def _session_secrets(store: str) -> list[str]:
    return session_secrets(list(session.load(store).get("cookies") or []))


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def record_command(ctx: AppContext, name: str, out: Path, *, scan: bool = False,
                   until_url: str | None = None, timeout: int = 1800) -> None:
    """`autofill record --store X NAME`: see the module docstring."""
    if not NAME.match(name):
        raise BadInput(f"record {name!r}: a recording name is letters, digits, '.', '_' and '-' "
                       "(at most 64), such as joom-2024-06-removals.")
    if ctx.browser.endpoint and ctx.browser.endpoint.startswith(("http://", "https://")):
        raise BadInput("autofill record needs a browser context of its own to record: run it "
                       "without --browser-endpoint http://... (your Chrome's tabs are not "
                       "recorded).")
    if timeout <= 0:
        raise BadInput(f"--timeout {timeout}: expected a number of seconds above 0.")
    config = ctx.store_config()
    site = site_for(config)
    session.ensure_outside(ctx.workspace.root)
    folder = (ctx.env.cwd / out / config.platform / name).resolve()
    if (folder / HAR).exists():
        raise BadInput(f"{folder / HAR} already exists: nothing is overwritten.",
                       "Choose another name, or delete that folder first.")
    names = _legal_names(ctx, config)
    if not names:
        raise BadInput(
            f"{ctx.workspace.config_path}: store '{config.name}': legal_name is empty, so the "
            "recording could not replace it with <LEGAL_NAME>.",
            "Set legal_name (as registered with the platform) in autofill.toml, then record.")
    secrets = _session_secrets(config.name)  # LoginNeeded when there is no session
    asked = bool(getattr(ctx, "headless_given", False))
    headless = ctx.browser.headless if (scan or asked) else False
    if headless and not scan and not until_url:
        raise BadInput("Nobody can browse a hidden window: drop --headless, or add --scan.")
    options = BrowserOptions(headless=headless, browser_path=ctx.browser.browser_path,
                             endpoint=ctx.browser.endpoint)
    say = ctx.console.print
    if scan:
        navigate, navigation = scan_navigation, "scan"
        say(ctx.t(f"Recording while autofill scans {site.base_url} (read-only pages).",
                  f"autofill 正在扫描 {site.base_url} 并录制(只读页面)。"), markup=False)
    else:
        navigate = seller_navigation(until_url=until_url, timeout=timeout,
                                     say=lambda t: say(t, markup=False))
        navigation = "seller"
        say(ctx.t(
            f"A browser window opens on {site.base_url} with your saved session. Open the pages "
            "a scan reads (Products filtered to what needs attention with every page and every "
            "product's details, Notifications, Account Health, Store Profile, Appeals). Do not "
            "submit anything. Close the tab when you are done"
            + (f", or go to {until_url}" if until_url else "") + f" (at most {timeout} s).",
            f"浏览器将用已保存的会话打开 {site.base_url}。请打开扫描会读取的页面,不要提交任何内容;"
            "完成后关闭标签页。"), markup=False)
    recording = asyncio.run(record(site, options, folder, navigate, legal_names=names,
                                   secrets=secrets, navigation=navigation, lean=scan))
    _report(ctx, recording)


def _legal_names(ctx: AppContext, config: StoreConfig) -> list[str]:
    names = [config.legal_name] if config.legal_name.strip() else []
    if ctx.workspace.db_path.is_file():  # the name the site showed at the last scan
        account = ctx.store.account(config.name)
        if account is not None and account.legal_name.strip():
            names.append(account.legal_name)
    return sorted(set(names))


def _report(ctx: AppContext, recording: Recording) -> None:
    exp = recording.expected
    say = ctx.console.print
    replaced = ", ".join(f"{n} {what}" for what, n in sorted(recording.scrubbed.items()))
    say(ctx.t(f"Recorded and scrubbed into {recording.folder}",
              f"已录制并清理到 {recording.folder}"), markup=False)
    say(f"  replaced: {replaced or 'nothing'}", markup=False)
    say(ctx.t(
        f"  a scan reads from it: {len(exp['listings'])} listings, {len(exp['notices'])} "
        f"notices, {len(exp['appeals'])} appeals ({EXPECTED}).",
        f"  扫描从中读出:{len(exp['listings'])} 个商品、{len(exp['notices'])} 条通知、"
        f"{len(exp['appeals'])} 个申诉({EXPECTED})。"), markup=False)
    if exp["errors"] or recording.missing:
        say(ctx.t(
            f"  {len(recording.missing)} page(s) a scan reads are not in the recording, so "
            f"{EXPECTED} lists errors. Record again with --scan to capture every page.",
            f"  录制缺少扫描需要的 {len(recording.missing)} 个页面;请加 --scan 重新录制。"),
            markup=False, style="yellow")
    say(ctx.t(
        f"Before sharing: check {EXPECTED} against what the Seller Center showed you, and search "
        f"{HAR} for anything personal the scrubber cannot know (see recordings/README.md).",
        f"分享前:核对 {EXPECTED} 与卖家后台所见是否一致,并检查 {HAR} 中是否还有个人信息"
        "(见 recordings/README.md)。"), markup=False)
