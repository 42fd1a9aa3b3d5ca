"""Drift checks for `autofill doctor --store X`: open a page, look for each key element its
page object declares; a missing element is the answer, not an error."""

from __future__ import annotations

from playwright.async_api import Locator, Page

from autofill.flowkit import FlowJob, PageFailed

Row = tuple[str, str, bool, str]  # (page, element, found, why not)


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
) -> list[Row]:
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
