"""What the core hands a flow, and the generic moves every flow needs (no site knowledge here):
polite concurrency over a pool of tabs, navigation with retries, the login-page check, and
keeping the browser on the store's own origin."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from autofill.errors import AutofillError, LoginNeeded, SiteChanged
from autofill.models import Account, Appeal, Listing, Notice

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Response, Route

T = TypeVar("T")
R = TypeVar("R")

NAV_TIMEOUT_MS = 30_000
BLOCKED_RESOURCES = frozenset({"image", "media", "font", "stylesheet"})


class TransientPageError(Exception):
    """A page failed in a way that may pass: 5xx, timeout, connection reset."""


class PageFailed(AutofillError):
    """A page still failed after the retries: recorded in scan errors, the rest goes on."""

    def __init__(self, page: str, step: str, detail: str) -> None:
        super().__init__(f"{page}: {step}: {detail}")
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


@dataclass
class FlowJob:
    """Common to every job: the store, its site, a browser context with the store's session."""

    store: str
    base_url: str
    context: BrowserContext
    is_login_page: Callable[[Page], Awaitable[bool]]
    concurrency: int = 3
    progress: Progress = field(default_factory=NoProgress)

    async def open(self, page: Page, url: str, *, page_name: str, step: str = "open") -> Response:
        return await open_page(self, page, url, page_name=page_name, step=step)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


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
            raise TransientPageError(str(err).splitlines()[0]) from err
        if response is None:
            raise TransientPageError("no response")
        if response.status >= 500:
            raise TransientPageError(f"HTTP {response.status}")
        return response

    try:
        async for trial in AsyncRetrying(
            stop=stop_after_attempt(5),
            wait=wait_exponential(multiplier=0.2, max=4.0) + wait_random(0, 0.3),
            retry=retry_if_exception_type(TransientPageError),
            reraise=True,
        ):
            with trial:
                response = await attempt()
    except TransientPageError as err:
        raise PageFailed(page_name, step, f"{err} (after 5 attempts)") from err
    if await job.is_login_page(page):
        raise LoginNeeded(job.store, "the site asked to log in again: the session expired")
    if response.status >= 400:
        raise PageFailed(page_name, step, f"HTTP {response.status}")
    return response


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
        page = await job.context.new_page()
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
            await page.close()

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
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


async def confine(context: BrowserContext, base_url: str, *, lean: bool) -> None:
    """Keep the context on the store's own origin; `lean` also skips images, fonts and media.

    A link in a notice to elsewhere is never followed: requests to other origins are aborted.
    """

    async def handle(route: Route) -> None:
        request = route.request
        if not same_origin(request.url, base_url) and not request.url.startswith(("data:", "blob:")):
            await route.abort("blockedbyclient")
        elif lean and request.resource_type in BLOCKED_RESOURCES:
            await route.abort("blockedbyclient")
        else:
            await route.continue_()

    await context.route("**/*", handle)


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
        from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415

        if isinstance(err, PlaywrightTimeout):
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
