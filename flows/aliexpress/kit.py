"""Generic flow moves that autofill/flowkit.py does not offer yet. Nothing here knows AliExpress:
each function is proposed for the core (flows/joom holds private copies of the same ideas), and
lives here only until it moves there, so the AliExpress flow does not copy Joom's."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.async_api import Locator, Page

from autofill.flowkit import FlowJob, FormRejected, PageFailed, in_tabs

T = TypeVar("T")


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


async def present(locator: Locator, timeout_ms: int = 3_000) -> bool:
    """True when the element is in the page (doctor's question; absence is an answer)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415

    try:
        await locator.first.wait_for(state="attached", timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


async def check_expects(
    job: FlowJob, title: str, expects: dict[str, Locator], page: Page, url: str
) -> list[tuple[str, str, bool, str]]:
    """Doctor rows for one page object: open `url`, then look for each declared key element."""
    try:
        await job.open(page, url, page_name=title, step="doctor")
    except PageFailed as err:
        return [(title, "(page)", False, err.detail)]
    rows = []
    for name, locator in expects.items():
        ok = await present(locator)
        rows.append((title, name, ok, "" if ok else "not found by its role/label"))
    return rows


async def shown_option(select: Locator) -> str:
    """The visible text of a select's chosen option."""
    text: str = await select.evaluate(
        "s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.trim() : ''")
    return text


async def offered_options(select: Locator) -> list[str]:
    """The texts of a select's real options (the empty 'please choose' one left out)."""
    texts: list[str] = await select.evaluate(
        "s => Array.from(s.options).filter(o => o.value !== '').map(o => o.text.trim())")
    return texts


async def chosen_files(file_input: Locator) -> list[str]:
    names: list[str] = await file_input.evaluate("i => Array.from(i.files).map(f => f.name)")
    return names


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


async def verify_filled(
    page: Page,
    page_name: str,
    *,
    selects: Sequence[tuple[str, Locator, str]] = (),
    texts: Sequence[tuple[str, Locator, str]] = (),
    files: Sequence[tuple[str, Locator, Sequence[str]]] = (),
) -> None:
    """What the page now shows must be exactly what was asked for: each (label, field, wanted)
    is read back from the page; any difference and any error the site shows (role=alert) raise
    FormRejected naming the field."""
    problems: list[str] = []
    for label, select, want in selects:
        shown = await shown_option(select)
        if shown != want:
            problems.append(f"{label} shows '{shown}', expected '{want}'")
    for label, field, want in texts:
        typed = await field.input_value()
        if not _same_text(typed, want):
            problems.append(f"{label} differs from the case (the field may have a length limit: "
                            f"{len(typed)} of {len(want)} characters kept)")
    for label, field, names in files:
        attached = await chosen_files(field)
        problems += [f"{label}: {name} not attached" for name in names if name not in attached]
    alerts = [t.strip() for t in await page.get_by_role("alert").all_inner_texts() if t.strip()]
    if problems or alerts:
        raise FormRejected(page_name, problems + alerts)


async def site_answer(
    page: Page, status: Locator, pattern: str
) -> tuple[str | None, list[str]]:
    """After the human's click: the id the site's confirmation (`status`) gives, matched by
    `pattern`'s first group, or the errors it shows instead (each list item of its alerts)."""
    alerts = page.get_by_role("alert")
    await status.or_(alerts).first.wait_for()
    if await status.count():
        found = re.search(pattern, " ".join(await status.all_inner_texts()))
        return (found.group(1) if found else None), []
    items = [t.strip() for t in await alerts.get_by_role("listitem").all_inner_texts()
             if t.strip()]
    return None, items or [t.strip() for t in await alerts.all_inner_texts() if t.strip()]
