"""What the core hands a flow, and the generic moves every flow needs (no site knowledge here):
polite concurrency over a pool of tabs, navigation with retries, the login-page check, and
keeping the browser on the store's own origin."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from autofill.browser import NAV_TIMEOUT_MS, browser_gone, playwright_error
from autofill.errors import AutofillError, ExitStatus, LoginNeeded, SiteChanged
from autofill.logs import get_logger
from autofill.models import Account, Appeal, Listing, Notice
from autofill.sessionhttp import ContextHttp, PageClient, SessionHttp

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Response, Route

T = TypeVar("T")
R = TypeVar("R")

# A tab closed while a navigation commits can stay open with its close acknowledged, and
# page.close() then never returns (crbug.com/536385539, microsoft/playwright#42366): wait this
# long, then leave the tab to its context, which closes with everything in it.
TAB_CLOSE_TIMEOUT_S = 10

log = get_logger(__name__)
BLOCKED_RESOURCES = frozenset({"image", "media", "font", "stylesheet"})
ATTEMPTS = 5


class TransientPageError(Exception):
    """A page failed in a way that may pass: 5xx, timeout, connection reset."""


class PageFailed(AutofillError):
    """A page still failed after the retries: recorded in scan errors, the rest goes on; when
    the work cannot go on without it (the first page of a scan), the site did not behave."""

    exit_status = ExitStatus.SITE_CHANGED

    def __init__(self, page: str, step: str, detail: str) -> None:
        super().__init__(f"{page}: {step}: {detail}",
                         "Check that the Seller Center opens in your browser (base_url in "
                         "autofill.toml), then run the command again; `autofill doctor` checks "
                         "each page.")
        self.page, self.step, self.detail = page, step, detail


class RecordSink(Protocol):
    """Where a flow puts what it read; the core decides how it is stored."""

    def listing(self, item: Listing) -> None: ...
    def notice(self, item: Notice) -> None: ...
    def appeal(self, item: Appeal) -> None: ...
    def account(self, item: Account) -> None: ...
    def error(self, page: str, step: str, message: str) -> None: ...
    def note(self, message: str) -> None: ...


class Progress(Protocol):
    def add_total(self, n: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def describe(self, text: str) -> None: ...


class NoProgress:
    def add_total(self, n: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def describe(self, text: str) -> None:
        pass


class Politeness:
    """At most `limit` requests to the site at once, across everything a job does at once."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._slots = asyncio.Semaphore(self.limit)
        self._whole = asyncio.Lock()  # takers of every slot queue up, so they never deadlock

    @asynccontextmanager
    async def one(self) -> AsyncIterator[None]:
        async with self._slots:
            yield

    @asynccontextmanager
    async def every(self) -> AsyncIterator[None]:
        """All the slots: for work that keeps up to `limit` requests in flight by itself."""
        async with self._whole:
            for _ in range(self.limit):
                await self._slots.acquire()
        try:
            yield
        finally:
            for _ in range(self.limit):
                self._slots.release()


@dataclass
class FlowJob:
    """Common to every job: the store, its site, a browser context with the store's session.

    A job may start with no browser context (`context` None): pages are then read over HTTP by
    `request`, a client holding the same session, and `open_context` opens the context the
    first time a tab is needed (`tab`, `browser_context`), carrying the session over."""

    store: str
    base_url: str
    context: BrowserContext | None
    is_login_page: Callable[[Page], Awaitable[bool]]
    concurrency: int = 3
    progress: Progress = field(default_factory=NoProgress)
    # `keep_tabs`: tabs stay open between rounds of work (a new tab costs a page load before its
    # first read) until `close_tabs`.
    keep_tabs: bool = False
    # How autofill.reading fetches pages: "page" (fetch() in a tab: this context's routes apply,
    # as a HAR replay needs) or "request" (an HTTP client with the session: `http`, cheapest).
    read_by: Literal["page", "request"] = "page"
    # Kinds of page (Reading.page) found to need opening: built by scripts, not served ready.
    rendered_pages: set[str] = field(default_factory=set, repr=False)
    request: SessionHttp | None = field(default=None, repr=False)
    open_context: Callable[[], Awaitable[BrowserContext]] | None = field(default=None, repr=False)
    _idle: list[Page] = field(default_factory=list, repr=False)
    _context_http: ContextHttp | None = field(default=None, repr=False)
    _politeness: Politeness | None = field(default=None, repr=False)
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @property
    def http(self) -> PageClient:
        """The HTTP client with the job's session: the browser context's once it is open."""
        if self.context is not None:
            if self._context_http is None:
                self._context_http = ContextHttp(self.context.request)
            return self._context_http
        if self.request is None:
            raise RuntimeError("a job needs a browser context or an HTTP client")
        return self.request

    async def browser_context(self) -> BrowserContext:
        """The job's browser context, opened now if the job started without one."""
        async with self._opening:
            if self.context is None:
                if self.open_context is None:
                    raise RuntimeError("a job without a browser context needs open_context")
                self.context = await self.open_context()
            return self.context

    @property
    def politeness(self) -> Politeness:
        """The job's limit of `concurrency` requests at once, shared by all it does."""
        if self._politeness is None:
            self._politeness = Politeness(self.concurrency)
        return self._politeness

    async def open(self, page: Page, url: str, *, page_name: str, step: str = "open") -> Response:
        return await open_page(self, page, url, page_name=page_name, step=step)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    async def tab(self) -> Page:
        """A tab of the job's context: an idle one when there is one, else a new one."""
        while self._idle:
            page = self._idle.pop()
            if not page.is_closed():
                return page
        return await (await self.browser_context()).new_page()

    async def release(self, page: Page) -> None:
        """Done with a tab for now: kept for the next round of work, or closed."""
        if page.is_closed():
            return
        if self.keep_tabs:
            self._idle.append(page)
        else:
            await close_tab(page)

    async def close_tabs(self) -> None:
        """Close the tabs kept for reuse (over the seller's own Chrome, leave no tab behind)."""
        idle, self._idle = self._idle, []
        for page in idle:
            await close_tab(page)


@dataclass
class ScanJob(FlowJob):
    sink: RecordSink = field(default=None)  # type: ignore[assignment]


@dataclass
class AppealsJob(FlowJob):
    sink: RecordSink = field(default=None)  # type: ignore[assignment]


@dataclass
class DoctorJob(FlowJob):
    pass


@dataclass
class PrefillJob(FlowJob):
    """Everything the flow needs to fill the form; the flow never clicks the final submit."""

    case_dir: Path = field(default=Path("."))
    case: Any = None  # the validated case bundle (autofill.bundle.Case)
    files: Sequence[Path] = ()
    mode: str = "appeal"  # appeal | supplement | report
    appeal_id: str | None = None
    listing_url: str | None = None
    page: Page | None = None  # the tab the core prepared (it watches what the human sends)


async def open_page(
    job: FlowJob, page: Page, url: str, *, page_name: str, step: str = "open"
) -> Response:
    """Navigate with bounded retries (exponential backoff with jitter) on 5xx and timeouts.

    Raises LoginNeeded when the site shows its login page (the session expired), PageFailed when
    the page still fails after the retries.
    """
    from playwright.async_api import Error as PlaywrightError  # noqa: PLC0415

    async def attempt() -> Response:
        try:
            response = await page.goto(url, wait_until="domcontentloaded", timeout=NAV_TIMEOUT_MS)
        except PlaywrightError as err:
            if browser_gone(err):
                raise
            raise TransientPageError(str(err).splitlines()[0]) from err
        if response is None:
            raise TransientPageError("no response")
        if response.status >= 500:
            raise TransientPageError(f"HTTP {response.status}")
        return response

    response = await with_retries(attempt, page_name, step)
    if await job.is_login_page(page):
        raise LoginNeeded(job.store, "the site asked to log in again: the session expired")
    if not same_origin(page.url, job.base_url):
        # routes do not see redirects: the site sent the tab elsewhere, and it goes no further
        raise PageFailed(page_name, step, f"the site sent it to {_origin(page.url)}, off the "
                                          "store's site")
    if response.status >= 400:
        raise PageFailed(page_name, step, f"HTTP {response.status}")
    return response


async def close_tab(page: Page) -> None:
    """Close a tab without ever hanging on it (see TAB_CLOSE_TIMEOUT_S)."""
    if page.is_closed():
        return
    try:
        await asyncio.wait_for(page.close(), TAB_CLOSE_TIMEOUT_S)
    except asyncio.TimeoutError:  # noqa: UP041 - not the built-in one before Python 3.11
        log.debug("tab_close_stuck", url=page.url, left_to="its context")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def with_retries(attempt: Callable[[], Awaitable[T]], page_name: str, step: str) -> T:
    """`attempt` again on TransientPageError, with exponential backoff and jitter; PageFailed
    when it still fails."""
    try:
        async for trial in AsyncRetrying(
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=0.2, max=4.0) + wait_random(0, 0.3),
            retry=retry_if_exception_type(TransientPageError),
            reraise=True,
        ):
            with trial:
                return await attempt()
    except TransientPageError as err:
        raise PageFailed(page_name, step, f"{err} (after {ATTEMPTS} attempts)") from err
    raise AssertionError("unreachable: tenacity either returns or re-raises")


async def in_tabs(
    job: FlowJob,
    items: Iterable[T],
    work: Callable[[Page, T], Awaitable[R]],
    *,
    on_error: Callable[[T, PageFailed], None] | None = None,
) -> list[R]:
    """Run `work` over `items` on at most `job.concurrency` tabs (politeness), in input order.

    A PageFailed on one item goes to `on_error` and the rest goes on; LoginNeeded and SiteChanged
    stop everything (they are about the whole session or the site, not one page).
    """
    queue: asyncio.Queue[tuple[int, T]] = asyncio.Queue()
    for index, item in enumerate(items):
        queue.put_nowait((index, item))
    results: dict[int, R] = {}

    async def worker() -> None:
        page = await job.tab()
        try:
            while True:
                try:
                    index, item = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    results[index] = await work(page, item)
                except PageFailed as err:
                    if on_error is None:
                        raise
                    on_error(item, err)
        finally:
            await job.release(page)

    workers = [asyncio.create_task(worker()) for _ in range(max(1, min(job.concurrency,
                                                                       queue.qsize())))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    return [results[i] for i in sorted(results)]


def same_origin(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, _host_port(a.scheme, a.netloc)) == (b.scheme, _host_port(b.scheme, b.netloc))


def _host_port(scheme: str, netloc: str) -> str:
    netloc = netloc.rsplit("@", 1)[-1].lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def origin_pattern(base_url: str) -> str:
    """A regular expression for URLs on `base_url`'s origin (scheme, host, port)."""
    parts = urlsplit(base_url)
    return re.escape(f"{parts.scheme}://{_host_port(parts.scheme, parts.netloc)}") + r"(?=[/?#]|$)"


async def confine(context: BrowserContext, base_url: str, *, lean: bool) -> None:
    """Keep the context on the store's own origin; `lean` also skips images, fonts, media and
    stylesheets.

    A link in a notice to elsewhere is never followed: requests to other origins are aborted
    (a URL pattern the browser side matches: the store's own requests never wait for Python).
    Routes do not see redirects: `open_page` fails a tab the site sent elsewhere, and
    autofill.reading never follows a redirect off the site.
    """
    own = origin_pattern(base_url)

    async def block(route: Route) -> None:
        await route.abort("blockedbyclient")

    async def skip_unread(route: Route) -> None:
        if route.request.resource_type in BLOCKED_RESOURCES:
            await route.abort("blockedbyclient")
        else:
            await route.fallback()  # to the origin rule

    # data: and blob: URLs never reach the network layer; everything else off the origin stops.
    await context.route(re.compile(rf"^(?!{own})(?!(?:data|blob):)"), block)
    if lean:  # scans read few pages in a tab (autofill.reading fetches the rest): cheap here
        await context.route("**/*", skip_unread)


def changed(page_name: str, step: str, what: str) -> SiteChanged:
    """The sentence for a page that no longer looks as the flow expects."""
    return SiteChanged(page_name, step, f"expected {what}, but the page does not show it")


class FormRejected(AutofillError):
    """The site showed errors on the filled form (e.g. a file it does not accept)."""

    def __init__(self, page: str, errors: list[str]) -> None:
        super().__init__(
            f"{page}: the site shows {len(errors)} error(s) on the filled form:\n  "
            + "\n  ".join(errors),
            "Fix the case bundle (files named above), run `autofill check`, then prefill again.",
        )
        self.errors = errors


@dataclass
class FilledForm:
    """A form the flow filled and verified, handed to the core to wait for the human's click.

    The flow gives the submit button (to highlight, never to click), the form's action URL (to
    recognise the human's submission among requests) and how to read the site's answer.
    """

    page: Page
    submit: Any  # Locator of the final submit button
    action_url: str
    statement_field: str  # the multipart field names of what the human sends
    file_field: str
    read_outcome: Callable[[Page], Awaitable[tuple[str | None, list[str]]]]
    summary: dict[str, str] = field(default_factory=dict)
    deadline: str | None = None


class expecting:  # noqa: N801 - reads as a sentence: `async with expecting(...)`
    """Turn "the element never showed up" into SiteChanged naming the page and the step."""

    def __init__(self, page_name: str, step: str, what: str) -> None:
        self.page_name, self.step, self.what = page_name, step, what

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, kind: type[BaseException] | None, err: BaseException | None,
                        tb: object) -> bool:
        if isinstance(err, playwright_error("TimeoutError")):
            raise changed(self.page_name, self.step, self.what) from err
        return False


async def navigate_by(job: FlowJob, page: Page, action: Callable[[], Awaitable[None]], *,
                      page_name: str, step: str) -> None:
    """Do what a person does (choose a filter, click a link) and land on the page it leads to;
    when that landing fails transiently (5xx), reopen the URL it led to with `open_page`'s
    retries instead of giving up."""
    async with page.expect_navigation(wait_until="domcontentloaded",
                                      timeout=NAV_TIMEOUT_MS) as landing:
        await action()
    response = await landing.value
    if response is None or response.status >= 500:
        await open_page(job, page, page.url, page_name=page_name, step=step)
    elif await job.is_login_page(page):
        raise LoginNeeded(job.store, "the site asked to log in again: the session expired")


def with_page(url: str, number: int) -> str:
    """`url` with its `page` query parameter set to `number` (filters kept)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["page"] = str(number)
    return urlunsplit(parts._replace(query=urlencode(query)))


async def other_pages(
    job: FlowJob,
    first_url: str,
    pages: int,
    read: Callable[[Page], Awaitable[list[T]]],
    *,
    page_name: str,
    on_error: Callable[[PageFailed], None],
) -> list[T]:
    """Pages 2..`pages` of a paginated list (`?page=n` on `first_url`), read in polite tabs and
    concatenated in page order; a page that still fails after the retries goes to `on_error`."""

    async def one(tab: Page, number: int) -> list[T]:
        await job.open(tab, with_page(first_url, number), page_name=page_name,
                       step=f"page {number}")
        return await read(tab)

    found: list[T] = []
    for items in await in_tabs(job, range(2, pages + 1), one,
                               on_error=lambda _number, err: on_error(err)):
        found.extend(items)
    return found
