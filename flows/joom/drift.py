"""Drift check for `autofill doctor --store X`: open each read-only page and look for every key
element its page object declares."""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.async_api import Locator

from autofill.flowkit import DoctorJob, PageFailed, navigate_by
from flows.joom.pages import (
    AccountHealthPage,
    AppealFormPage,
    AppealsPage,
    JoomPage,
    NotificationsPage,
    ProductDetailsPage,
    ProductsPage,
    Shell,
    StoreProfilePage,
)
from flows.joom.scan import NEEDS_ATTENTION


async def _present(locator: Locator) -> bool:
    try:
        await locator.first.wait_for(state="attached", timeout=3_000)
        return True
    except Exception:  # noqa: BLE001 - a missing element is the answer, not an error
        return False


async def _check(job: DoctorJob, obj: JoomPage, url: str) -> list[tuple[str, str, bool, str]]:
    try:
        await job.open(obj.page, url, page_name=obj.title, step="doctor")
    except PageFailed as err:
        return [(obj.title, "(page)", False, err.detail)]
    return [(obj.title, name, await _present(loc), "" if await _present(loc) else
             "not found by its role/label") for name, loc in obj.expects().items()]


async def check_pages(job: DoctorJob) -> list[tuple[str, str, bool, str]]:
    page = await job.tab()
    rows: list[tuple[str, str, bool, str]] = []
    try:
        rows += await _check(job, Shell(page), job.url("/"))
        products = ProductsPage(page)
        rows += await _check(job, products, job.url(products.path))
        detail_url = appeal_url = None
        if all(ok for p, _, ok, _ in rows if p == products.title):
            await navigate_by(job, page, lambda: products.filter_by(NEEDS_ATTENTION),
                              page_name=products.title, step="filter by status")
            table = await products.rows()
            detail_url = table[0]["links"].get("Actions") if table else None
        if detail_url:
            details = ProductDetailsPage(page)
            rows += await _check(job, details, detail_url)
            if await details.appeal.count():
                href = await details.appeal.first.get_attribute("href")
                appeal_url = urljoin(page.url, href) if href else None
        for obj in (NotificationsPage(page), AccountHealthPage(page), StoreProfilePage(page),
                    AppealsPage(page)):
            rows += await _check(job, obj, job.url(obj.path))
        if appeal_url:  # opening the form is read-only: nothing is typed or sent
            rows += await _check(job, AppealFormPage(page), appeal_url)
    finally:
        await job.release(page)
    return rows
