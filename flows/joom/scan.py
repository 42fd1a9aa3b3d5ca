"""Joom scan: products that need attention, their notices, account standing and appeals.

Every page is read with its page object's `reading`: fetched and read by role and name in a tab,
not opened one by one (autofill.reading), hundreds at a time within the politeness limit. The
Status filter is read from its form (where choosing "Needs attention" leads); a filter that is
not a plain form is chosen the way a person does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from autofill.dom import Reading
from autofill.flowkit import (
    AppealsJob,
    FlowJob,
    PageFailed,
    ScanJob,
    expecting,
    navigate_by,
    same_origin,
    with_page,
)
from autofill.models import Notice
from autofill.reading import read_each, read_page
from flows.joom import parse
from flows.joom.pages import (
    AccountHealthPage,
    AppealDetailPage,
    AppealsPage,
    NotificationsPage,
    ProductDetailsPage,
    ProductsPage,
    StoreProfilePage,
    page_count_of,
)

if TYPE_CHECKING:
    from playwright.async_api import Page

NEEDS_ATTENTION = "Needs attention"  # the Status filter option for every non-active product


async def scan(job: ScanJob) -> None:
    """The account, every product that needs attention with its details, the notifications
    and the appeals."""
    await _account(job)
    first_url, rows, pages = await _first_products_page(job)
    job.progress.describe("product details")
    details = _Details(job)
    await _listings(job, first_url, rows, pages, details)
    job.progress.describe("notifications")
    notices = await _notifications(job)
    for notice_id, notice in details.notices.items():
        if notice_id not in notices:
            notices[notice_id] = notice
    for notice in notices.values():
        job.sink.notice(notice)
        missing = [x for x in notice.listing_ids if x not in details.found]
        if missing and notice.appealable:
            job.sink.note(
                f"Notice {notice.notice_id} also names {len(missing)} product(s) that Products "
                f"does not list as needing attention (active again, or gone from the store): "
                f"{', '.join(missing[:5])}" + ("..." if len(missing) > 5 else "")
            )
    job.progress.describe("appeals")
    await read_appeals(job)  # type: ignore[arg-type]


class _Details:
    """What the product pages give: listings to the sink, notices as seen on those pages."""

    def __init__(self, job: ScanJob) -> None:
        self.job = job
        self.notices: dict[str, Notice] = {}
        self.found: set[str] = set()

    def read(self, row: dict[str, Any], facts: dict[str, Any]) -> None:
        product, violation = facts["product"], facts["violation"] or {}
        listing = parse.listing_from(row, product, violation)
        self.found.add(listing.listing_id)
        self.job.sink.listing(listing)
        notice = parse.notice_from_violation(violation, listing.listing_id)
        if notice is not None:
            known = self.notices.get(notice.notice_id)
            ids = (known.listing_ids if known else ()) + notice.listing_ids
            self.notices[notice.notice_id] = notice.model_copy(update={"listing_ids": ids})
        self.job.progress.advance()

    def failed(self, row: dict[str, Any], err: PageFailed) -> None:
        self.job.sink.error(err.page, err.step, err.detail)
        self.job.progress.advance()


async def _listings(job: ScanJob, first_url: str, rows: list[dict[str, Any]], pages: int,
                    details: _Details) -> None:
    """The other pages of the filtered Products list, then every product's details."""
    title = ProductsPage.title
    async with expecting(title, "read the other pages", "a Products table"):
        rows = rows + await _other_pages(job, first_url, pages, ProductsPage.reading, title,
                                         lambda parts: parts["rows"])
    seen: set[str] = set()
    unique = []
    for row in rows:  # a listing that moved between pages while reading is read once
        key = row["cells"].get("Product ID", "")
        if key and key not in seen and row["cells"].get("Status") != "Active":
            seen.add(key)
            unique.append(row)
    job.progress.add_total(len(unique))
    async with expecting(ProductDetailsPage.title, "read the product details",
                         "a 'Product details' section"):
        await read_each(job, unique, ProductDetailsPage.reading, url=_details_url,
                        page_name=lambda row: f"Product {row['cells'].get('Product ID', '?')}",
                        step="View Details", on_read=details.read, on_error=details.failed)


def _details_url(row: dict[str, Any]) -> str:
    url: str = row["links"].get("Actions") or row["links"].get("Product ID") or ""
    return url


async def _account(job: ScanJob) -> None:
    health_page, profile_page = AccountHealthPage, StoreProfilePage
    async with expecting(health_page.title, "read account state", "the Account Health heading"):
        health = await read_page(job, None, job.url(health_page.path), health_page.reading,
                                 page_name=health_page.title)
    async with expecting(profile_page.title, "read the legal name", "the Store Profile heading"):
        profile = await read_page(job, None, job.url(profile_page.path), profile_page.reading,
                                  page_name=profile_page.title)
    job.sink.account(parse.account_from(health["facts"] or {}, profile["facts"] or {}))


async def _first_products_page(job: ScanJob) -> tuple[str, list[dict[str, Any]], int]:
    """Products filtered to what needs attention: the first page's URL, rows, page count."""
    first_url, first = await _filtered(job)
    if first is not None:
        return first_url, first["rows"], page_count_of(first["pagination"])
    page = await job.tab()
    try:
        return await _filtered_by_hand(job, page)
    finally:
        await job.release(page)


async def _filtered_by_hand(job: ScanJob, page: Page) -> tuple[str, list[dict[str, Any]], int]:
    """The filter is not a plain form: choose it the way a person does."""
    products = ProductsPage(page)
    await job.open(page, job.url(products.path), page_name=products.title)
    async with expecting(products.title, "filter by status",
                         f"a Status filter with '{NEEDS_ATTENTION}' and a Products table"):
        await navigate_by(job, page, lambda: products.filter_by(NEEDS_ATTENTION),
                          page_name=products.title, step="filter by status")
        rows = await products.rows()
    return page.url, rows, await products.page_count()


async def _filtered(job: ScanJob) -> tuple[str, dict[str, Any] | None]:
    """The first page of Products filtered to what needs attention, read where the Status
    filter's form leads (None when it is not a plain form, or has no such choice)."""
    title = ProductsPage.title
    async with expecting(title, "filter by status", f"a Status filter with '{NEEDS_ATTENTION}'"):
        found = await read_page(job, None, job.url(ProductsPage.path),
                                ProductsPage.filter_reading, page_name=title)
    url = (found["filter"] or {}).get(NEEDS_ATTENTION)
    if not url or not same_origin(url, job.base_url):
        return "", None
    async with expecting(title, "filter by status", "a Products table"):
        return url, await read_page(job, None, url, ProductsPage.reading, page_name=title,
                                    step="filter by status")


async def _other_pages(job: ScanJob | AppealsJob, first_url: str, pages: int, reading: Reading,
                       title: str, take: Callable[[dict[str, Any]], list[Any]]) -> list[Any]:
    """Pages 2..`pages` of a paginated list, what `take` gets from each, in page order."""
    found: dict[int, list[Any]] = {}

    def failed(number: int, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)

    await read_each(job, range(2, pages + 1), reading,
                    url=lambda number: with_page(first_url, number),
                    page_name=lambda number: f"{title} (page {number})", step="read the page",
                    on_read=lambda number, parts: found.__setitem__(number, take(parts)),
                    on_error=failed)
    return [item for number in sorted(found) for item in found[number]]


async def _first_page(job: FlowJob, path: str, reading: Reading, title: str) -> dict[str, Any]:
    return await read_page(job, None, job.url(path), reading, page_name=title, step="page 1")


async def _notifications(job: ScanJob) -> dict[str, Notice]:
    title = NotificationsPage.title
    async with expecting(title, "read notifications", "the Notifications list"):
        first = await _first_page(job, NotificationsPage.path, NotificationsPage.reading, title)
        found = NotificationsPage.notifications_read(first)
        found += await _other_pages(job, job.url(NotificationsPage.path),
                                    page_count_of(first["pagination"]),
                                    NotificationsPage.reading, title,
                                    NotificationsPage.notifications_read)
    notices: dict[str, Notice] = {}
    for heading, terms in found:
        notice = parse.notice_from_notification(heading, terms)
        if notice is not None:
            notices[notice.notice_id] = notice
    return notices


async def read_appeals(job: AppealsJob) -> None:
    """Support > Appeals, every page; rejected ones opened for their rejection code."""
    title = AppealsPage.title
    async with expecting(title, "read appeals", "the Appeals heading"):
        first = await _first_page(job, AppealsPage.path, AppealsPage.reading, title)
        rows: list[dict[str, Any]] = first["rows"] or []
        rows += await _other_pages(job, job.url(AppealsPage.path),
                                   page_count_of(first["pagination"]), AppealsPage.reading,
                                   title, lambda parts: parts["rows"] or [])
    records = [parse.appeal_from_row(row) for row in rows]
    links = {parse.appeal_from_row(r).appeal_id: r["links"].get("Appeal ID") for r in rows}
    rejected = [a.appeal_id for a in records if a.status == "rejected" and links[a.appeal_id]]
    codes: dict[str, str] = {}

    def failed(appeal_id: str, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)

    async with expecting(AppealDetailPage.title, "read the rejection code",
                         "the appeal's heading"):
        await read_each(job, rejected, AppealDetailPage.reading, url=lambda a: links[a] or "",
                        page_name=lambda a: f"Appeal {a}", step="open",
                        on_read=lambda a, parts: codes.__setitem__(
                            a, parse.text(parts["facts"] or {}, "Rejection code")),
                        on_error=failed)
    for record in records:
        if codes.get(record.appeal_id):
            record = record.model_copy(update={"rejection_code": codes[record.appeal_id]})
        job.sink.appeal(record)
