"""Drift check for `autofill doctor --store X`: open each read-only page and look for every key
element its page object declares."""

from __future__ import annotations

from urllib.parse import urljoin

from autofill.drift import Row, check_expects
from autofill.flowkit import DoctorJob, navigate_by
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


async def _check(job: DoctorJob, obj: JoomPage, url: str) -> list[Row]:
    return await check_expects(job, obj.title, obj.expects(), obj.page, url)


async def check_pages(job: DoctorJob) -> list[Row]:
    page = await job.tab()
    rows: list[Row] = []
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
