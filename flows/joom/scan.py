"""Joom scan: products that need attention, their notices, account standing and appeals."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.async_api import Page

from autofill.flowkit import AppealsJob, PageFailed, ScanJob, expecting, in_tabs, navigate_by
from autofill.models import Notice
from flows.joom import parse
from flows.joom.pages import (
    AccountHealthPage,
    AppealsPage,
    NotificationsPage,
    ProductDetailsPage,
    ProductsPage,
    StoreProfilePage,
)

NEEDS_ATTENTION = "Needs attention"  # the Status filter option for every non-active product


def with_page(url: str, number: int) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["page"] = str(number)
    return urlunsplit(parts._replace(query=urlencode(query)))


async def scan(job: ScanJob) -> None:
    page = await job.context.new_page()
    try:
        await _account(job, page)
        rows = await _product_rows(job, page)
    finally:
        await page.close()
    job.progress.add_total(len(rows))
    job.progress.describe("product details")
    detail_notices: dict[str, Notice] = {}
    found_ids: set[str] = set()

    async def read_details(tab: Page, row: dict[str, Any]) -> None:
        url = row["links"].get("Actions") or row["links"].get("Product ID")
        listing_id = row["cells"].get("Product ID", "?")
        await job.open(tab, url, page_name=f"Product {listing_id}", step="View Details")
        async with expecting(ProductDetailsPage.title, "read the product details",
                             "a 'Product details' section"):
            product, violation = await ProductDetailsPage(tab).facts()
        listing = parse.listing_from(row, product, violation)
        found_ids.add(listing.listing_id)
        job.sink.listing(listing)
        notice = parse.notice_from_violation(violation, listing.listing_id)
        if notice is not None:
            known = detail_notices.get(notice.notice_id)
            ids = (known.listing_ids if known else ()) + notice.listing_ids
            detail_notices[notice.notice_id] = notice.model_copy(update={"listing_ids": ids})
        job.progress.advance()

    def failed(row: dict[str, Any], err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)
        job.progress.advance()

    await in_tabs(job, rows, read_details, on_error=failed)
    job.progress.describe("notifications")
    notices = await _notifications(job)
    for notice_id, notice in detail_notices.items():
        if notice_id not in notices:
            notices[notice_id] = notice
    for notice in notices.values():
        job.sink.notice(notice)
        missing = [x for x in notice.listing_ids if x not in found_ids]
        if missing and notice.appealable:
            job.sink.note(
                f"Notice {notice.notice_id} names {len(missing)} product(s) not among the "
                f"listings that need attention: {', '.join(missing[:5])}"
                + ("..." if len(missing) > 5 else "")
            )
    job.progress.describe("appeals")
    await read_appeals(job)  # type: ignore[arg-type]


async def _account(job: ScanJob, page: Page) -> None:
    health = AccountHealthPage(page)
    await job.open(page, job.url(health.path), page_name=health.title)
    async with expecting(health.title, "read account state", "the Account Health heading"):
        health_terms = await health.facts()
    profile = StoreProfilePage(page)
    await job.open(page, job.url(profile.path), page_name=profile.title)
    async with expecting(profile.title, "read the legal name", "the Store Profile heading"):
        job.sink.account(parse.account_from(health_terms, await profile.facts()))


async def _product_rows(job: ScanJob, page: Page) -> list[dict[str, Any]]:
    """Every row of Products filtered to what needs attention, all pages."""
    products = ProductsPage(page)
    await job.open(page, job.url(products.path), page_name=products.title)
    async with expecting(products.title, "filter by status",
                         f"a Status filter with '{NEEDS_ATTENTION}' and a Products table"):
        await navigate_by(job, page, lambda: products.filter_by(NEEDS_ATTENTION),
                          page_name=products.title, step="filter by status")
        rows = await products.rows()
    first_url = page.url
    pages = await products.page_count()
    job.progress.describe(f"products list ({pages} pages)")

    async def read_list(tab: Page, number: int) -> list[dict[str, Any]]:
        await job.open(tab, with_page(first_url, number), page_name=products.title,
                       step=f"page {number}")
        async with expecting(products.title, f"read page {number}", "a Products table"):
            return await ProductsPage(tab).rows()

    def failed(number: int, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)

    for more in await in_tabs(job, range(2, pages + 1), read_list, on_error=failed):
        rows.extend(more)
    seen: set[str] = set()
    unique = []
    for row in rows:  # a listing that moved between pages while reading is read once
        key = row["cells"].get("Product ID", "")
        if key and key not in seen and row["cells"].get("Status") != "Active":
            seen.add(key)
            unique.append(row)
    return unique


async def _notifications(job: ScanJob) -> dict[str, Notice]:
    page = await job.context.new_page()
    notifications = NotificationsPage(page)
    try:
        await job.open(page, job.url(notifications.path), page_name=notifications.title)
        async with expecting(notifications.title, "read notifications", "the Notifications list"):
            found = await notifications.read()
        pages = await notifications.page_count()
    finally:
        await page.close()

    async def read_more(tab: Page, number: int) -> list[tuple[str, Any]]:
        await job.open(tab, with_page(job.url(notifications.path), number),
                       page_name=notifications.title, step=f"page {number}")
        return await NotificationsPage(tab).read()

    def failed(number: int, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)

    for more in await in_tabs(job, range(2, pages + 1), read_more, on_error=failed):
        found.extend(more)
    notices: dict[str, Notice] = {}
    for heading, terms in found:
        notice = parse.notice_from_notification(heading, terms)
        if notice is not None:
            notices[notice.notice_id] = notice
    return notices


async def read_appeals(job: AppealsJob) -> None:
    """Support > Appeals, every page; rejected ones opened for their rejection code."""
    page = await job.context.new_page()
    appeals = AppealsPage(page)
    try:
        await job.open(page, job.url(appeals.path), page_name=appeals.title)
        async with expecting(appeals.title, "read appeals", "the Appeals heading"):
            rows = await appeals.rows()
        pages = await appeals.page_count()
    finally:
        await page.close()

    async def read_more(tab: Page, number: int) -> list[dict[str, Any]]:
        await job.open(tab, with_page(job.url(appeals.path), number), page_name=appeals.title,
                       step=f"page {number}")
        return await AppealsPage(tab).rows()

    def failed(item: object, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)

    for more in await in_tabs(job, range(2, pages + 1), read_more, on_error=failed):
        rows.extend(more)
    records = [parse.appeal_from_row(row) for row in rows]
    links = {parse.appeal_from_row(r).appeal_id: r["links"].get("Appeal ID") for r in rows}

    async def rejection(tab: Page, appeal_id: str) -> tuple[str, str]:
        await job.open(tab, links[appeal_id] or "", page_name=f"Appeal {appeal_id}")
        from flows.joom.pages import AppealDetailPage  # noqa: PLC0415

        return appeal_id, parse.text(await AppealDetailPage(tab).facts(), "Rejection code")

    rejected = [a.appeal_id for a in records if a.status == "rejected" and links[a.appeal_id]]
    codes = dict(await in_tabs(job, rejected, rejection, on_error=failed))
    for record in records:
        if codes.get(record.appeal_id):
            record = record.model_copy(update={"rejection_code": codes[record.appeal_id]})
        job.sink.appeal(record)
