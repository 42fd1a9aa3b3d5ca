"""Reading pages without opening them: how a scan reads hundreds of pages fast.

A page object declares a `Reading` (autofill.dom): the parts its page gives, found by role and
accessible name. `read_page` and `read_each` get those parts for URLs on the store's site. Each
page is fetched and its HTML read by role and name: no navigation, no rendering, no images, no
scripts run. Two ways (`FlowJob.read_by`):

- `request`: an HTTP client with the session (autofill.sessionhttp: httpx before a browser
  context is open, the context's own client after; answers' cookies kept), the HTML read in
  Python by autofill.htmlread (the same rules as the browser's reader, held to the same answers
  by a test), no tab and no browser needed: the cheapest;
- `page`: `fetch()` inside a tab on the store's site, so this context's routes apply (a HAR
  replay answers from its file), the HTML parsed by the browser's DOMParser and read there by
  the role engine that reads a live page.

A fetched document without the reading's key part is opened the ordinary way instead
(navigation, the live document): a login page then raises LoginNeeded; a page built by scripts
is read once it is built, and every page of its kind is opened so from then on.

The store's origin is kept: every URL is checked before it is requested; HTTP clients follow no
redirect themselves: `_request` follows one only on the same origin, and otherwise the page is
opened instead, where the context's routes (which abort other origins) apply, as they do to
`fetch()` in a tab.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin

from autofill.browser import browser_gone
from autofill.dom import FETCH_AND_READ, READ_LIVE, Reading
from autofill.flowkit import (
    FlowJob,
    PageFailed,
    TransientPageError,
    in_tabs,
    open_page,
    same_origin,
    with_retries,
)
from autofill.htmlread import read_html
from autofill.sessionhttp import HttpFailed

if TYPE_CHECKING:
    from playwright.async_api import Page

T = TypeVar("T")
Parts = dict[str, Any]
Chunks = AsyncIterator[list[tuple[T, "Fetched"]]]

BATCH_PER_SLOT = 16  # pages fetched and read per call into a tab, per request allowed in flight
MAX_REDIRECTS = 5
ACCEPT_HTML = {"accept": "text/html,application/xhtml+xml"}


@dataclass(frozen=True)
class Fetched:
    """One fetched page: its parts, or why there are none."""

    status: int
    url: str = ""
    parts: Parts | None = None
    redirect: bool = False  # sent elsewhere than the store's site
    error: str | None = None

    def parts_or_raise(self, page_name: str, step: str) -> Parts | None:
        """The parts (None: open the page instead); TransientPageError when it may pass."""
        if self.redirect:
            return None
        if self.status == 0 or self.status >= 500:
            raise TransientPageError(self.error or f"HTTP {self.status}")
        if self.status >= 400:
            raise PageFailed(page_name, step, f"HTTP {self.status}")
        if self.error:
            raise PageFailed(page_name, step, self.error)
        return self.parts


async def read_page(job: FlowJob, page: Page | None, url: str, reading: Reading, *,
                    page_name: str, step: str = "open") -> Parts:
    """The parts `reading` names, from the page at `url`, with `open_page`'s retries and errors
    (LoginNeeded when the site asks to log in, PageFailed when the page keeps failing).

    `page`: the tab to fetch from or open in (None: a tab of the job's only if the page must be
    opened; `request` reading needs none)."""
    if not same_origin(url, job.base_url):
        raise PageFailed(page_name, step, f"{url} is not on the store's site {job.base_url}")
    if page is None and job.read_by == "page":
        tab = await job.tab()
        try:
            return await read_page(job, tab, url, reading, page_name=page_name, step=step)
        finally:
            await job.release(tab)
    if not _fetchable(job, page, reading):
        return await _open_and_read(job, page, url, reading, page_name, step)

    async def attempt() -> Parts | None:
        return (await _fetch(job, page, url, reading)).parts_or_raise(page_name, step)

    parts = await with_retries(attempt, page_name, step)
    return parts if _complete(parts, reading) else await _open_instead(
        job, page, url, parts, reading, page_name, step)


async def read_each(
    job: FlowJob,
    items: Sequence[T],
    reading: Reading,
    *,
    url: Callable[[T], str],
    page_name: Callable[[T], str],
    step: str,
    on_read: Callable[[T, Parts], None],
    on_error: Callable[[T, PageFailed], None],
) -> None:
    """`read_page` for every item's page, handing each item's parts to `on_read` as they come,
    at most `job.concurrency` requests at once.

    `request`: that many requests run all the time while what came is read; `page`: batches are
    fetched and read in a tab, the next one running while one is handed over. A page that
    failed in a way that may pass is tried again after the others, with backoff; a PageFailed
    goes to `on_error` and the rest goes on; LoginNeeded and SiteChanged stop everything.
    Nothing is held beyond a batch or two: memory stays flat.
    """
    todo = deque(item for item in items if _on_site(job, item, url, page_name, step, on_error))
    if not todo:
        return
    page = None if job.read_by == "request" else await job.tab()
    try:
        if not _fetchable(job, page, reading) and reading.page not in job.rendered_pages:
            # a tab that is not on the site yet: the first page opened puts it there
            await _one(job, page, todo.popleft(), reading, url, page_name, step, on_read,
                       on_error)
        chunks = (_requested(job, todo, reading, url) if page is None
                  else _fetched_in_page(job, page, todo, reading, url))
        again: list[T] = []
        async with aclosing(chunks):
            async for chunk in chunks:
                for item, fetched in chunk:
                    try:
                        parts = fetched.parts_or_raise(page_name(item), step)
                    except TransientPageError:
                        again.append(item)
                        continue
                    except PageFailed as err:
                        on_error(item, err)
                        continue
                    if not _complete(parts, reading):
                        parts = await _open_instead(job, None, url(item), parts, reading,
                                                    page_name(item), step)
                    on_read(item, parts)
        if todo:  # pages of this kind turned out to be built by scripts: open each one
            await _opened_in_tabs(job, list(todo), reading, url, page_name, step, on_read,
                                  on_error)
        for item in again:
            await _one(job, page, item, reading, url, page_name, step, on_read, on_error)
    finally:
        if page is not None:
            await job.release(page)


async def _requested(job: FlowJob, todo: deque[T], reading: Reading,
                     url: Callable[[T], str]) -> Chunks[T]:
    """Keep `job.concurrency` requests running over `todo`; read what came as it comes."""
    limit = max(1, job.concurrency)
    came: asyncio.Queue[tuple[T, Fetched, str | None]] = asyncio.Queue(
        maxsize=2 * BATCH_PER_SLOT * limit)

    async def worker() -> None:
        while todo and reading.page not in job.rendered_pages:
            item = todo.popleft()
            fetched, html = await _request(job, url(item))
            await came.put((item, fetched, html))

    # twice as many workers as requests allowed: one hands its answer over while one asks
    workers = asyncio.ensure_future(asyncio.gather(*(worker() for _ in range(2 * limit))))
    try:
        while not (workers.done() and came.empty()):
            getter = asyncio.ensure_future(came.get())
            await asyncio.wait([getter, workers], return_when=asyncio.FIRST_COMPLETED)
            if not getter.done():
                getter.cancel()
                continue
            batch = [getter.result()]
            while not came.empty() and len(batch) < BATCH_PER_SLOT * limit:
                batch.append(came.get_nowait())
            yield _read_fetched(batch, reading)
        workers.result()  # a worker's own failure surfaces here
    finally:
        workers.cancel()
        await asyncio.gather(workers, return_exceptions=True)


async def _fetched_in_page(job: FlowJob, page: Page, todo: deque[T], reading: Reading,
                           url: Callable[[T], str]) -> Chunks[T]:
    """Fetch and read `todo` in the tab in batches, the next batch running while one is handed
    over, unless that one has pages to open (nothing else runs while a page is opened)."""
    size = BATCH_PER_SLOT * max(1, job.concurrency)

    def start() -> tuple[list[T], asyncio.Future[list[Fetched]]]:
        batch = [todo.popleft() for _ in range(min(size, len(todo)))]
        return batch, asyncio.ensure_future(
            _fetch_in_page(job, page, [url(item) for item in batch], reading))

    pending = start() if todo else None
    try:
        while pending is not None:
            batch, running = pending
            pending = None
            try:
                results = await running
            except TransientPageError as err:
                results = [Fetched(0, error=str(err))] * len(batch)
            if todo and reading.page not in job.rendered_pages and all(
                    r.parts is None or _complete(r.parts, reading) for r in results):
                pending = start()
            yield list(zip(batch, results, strict=True))
            if pending is None and todo and reading.page not in job.rendered_pages:
                pending = start()
    finally:
        if pending is not None:
            pending[1].cancel()


def _complete(parts: Parts | None, reading: Reading) -> bool:
    return parts is not None and parts[reading.key] is not None


def _fetchable(job: FlowJob, page: Page | None, reading: Reading) -> bool:
    """Whether `reading`'s pages can be fetched from `page` (else: opened)."""
    if reading.page in job.rendered_pages:
        return False
    return job.read_by == "request" or (page is not None and same_origin(page.url, job.base_url))


def _on_site(job: FlowJob, item: T, url: Callable[[T], str], page_name: Callable[[T], str],
             step: str, on_error: Callable[[T, PageFailed], None]) -> bool:
    if same_origin(url(item), job.base_url):
        return True
    on_error(item, PageFailed(page_name(item), step,
                              f"{url(item)} is not on the store's site {job.base_url}"))
    return False


async def _fetch(job: FlowJob, page: Page | None, url: str, reading: Reading) -> Fetched:
    """One page, fetched and read the job's way."""
    if job.read_by == "page" and page is not None:
        return (await _fetch_in_page(job, page, [url], reading))[0]
    fetched, html = await _request(job, url)
    return _read_fetched([(url, fetched, html)], reading)[0][1]


async def _fetch_in_page(job: FlowJob, page: Page, urls: Sequence[str],
                         reading: Reading) -> list[Fetched]:
    """Fetch `urls` with fetch() inside `page` (at most `job.concurrency` at once), read them."""
    from playwright.async_api import Error as PlaywrightError  # noqa: PLC0415

    try:
        async with job.politeness.every():  # the page keeps up to that many in flight
            got: list[dict[str, Any]] = json.loads(await page.evaluate(FETCH_AND_READ, {
                "urls": list(urls), "parts": reading.js(), "limit": job.politeness.limit}))
    except PlaywrightError as err:
        if page.is_closed() or browser_gone(err):
            raise
        raise TransientPageError(str(err).splitlines()[0]) from err
    return [Fetched(g["status"], url, g.get("parts"), bool(g.get("redirect")), g.get("error"))
            for url, g in zip(urls, got, strict=True)]


async def _request(job: FlowJob, url: str) -> tuple[Fetched, str | None]:
    """One page by the job's HTTP client: what came, and its HTML when it is a page (a
    politeness slot is held while the site is asked, not while the answer is handed over)."""
    for _ in range(MAX_REDIRECTS + 1):
        try:
            async with job.politeness.one():
                answer = await job.http.get(url, headers=ACCEPT_HTML)
        except HttpFailed as err:
            return Fetched(0, url, error=str(err)), None
        status = answer.status
        if 300 <= status < 400:
            url = urljoin(url, answer.headers.get("location", ""))
            if same_origin(url, job.base_url):
                continue
            return Fetched(status, url, redirect=True), None
        if status >= 400:
            return Fetched(status, url), None
        if answer.html is None:
            return Fetched(status, url, error=f"not a page ({answer.content_type})"), None
        return Fetched(status, url), answer.html
    return Fetched(0, url, error=f"more than {MAX_REDIRECTS} redirects"), None


def _read_fetched(batch: Sequence[tuple[T, Fetched, str | None]],
                  reading: Reading) -> list[tuple[T, Fetched]]:
    """Read the pages that came; the others stay as they came."""
    return [(item, replace(fetched, parts=read_html(html, fetched.url, reading))
             if html is not None else fetched) for item, fetched, html in batch]


async def _one(job: FlowJob, page: Page | None, item: T, reading: Reading, url: Callable[[T], str],
               page_name: Callable[[T], str], step: str, on_read: Callable[[T, Parts], None],
               on_error: Callable[[T, PageFailed], None]) -> None:
    try:
        parts = await read_page(job, page, url(item), reading, page_name=page_name(item),
                                step=step)
    except PageFailed as err:
        on_error(item, err)
        return
    on_read(item, parts)


async def _open_instead(job: FlowJob, page: Page | None, url: str, fetched: Parts | None,
                        reading: Reading, page_name: str, step: str) -> Parts:
    """Open the page a fetch could not read: sent off the site (`fetched` None), or without the
    key part; when the opened page shows that part, its kind is built by scripts: opened from
    now on."""
    parts = await _open_and_read(job, page, url, reading, page_name, step)
    if fetched is not None:
        job.rendered_pages.add(reading.page)
    return parts


async def _opened_in_tabs(job: FlowJob, batch: Sequence[T], reading: Reading,
                          url: Callable[[T], str], page_name: Callable[[T], str], step: str,
                          on_read: Callable[[T, Parts], None],
                          on_error: Callable[[T, PageFailed], None]) -> None:
    async def work(tab: Page, item: T) -> None:
        on_read(item, await _open_and_read(job, tab, url(item), reading, page_name(item), step))

    await in_tabs(job, batch, work, on_error=on_error)


async def _open_and_read(job: FlowJob, page: Page | None, url: str, reading: Reading,
                         page_name: str, step: str) -> Parts:
    if page is None:
        tab = await job.tab()
        try:
            return await _open_and_read(job, tab, url, reading, page_name, step)
        finally:
            await job.release(tab)
    async with job.politeness.one():  # a page opened counts among the requests in flight
        await open_page(job, page, url, page_name=page_name, step=step)
    await reading.parts[reading.key].locate(page).first.wait_for()
    parts: Parts = json.loads(await page.evaluate(READ_LIVE, reading.js()))
    return parts
