"""AliExpress scan: every 处罚记录 (appealable or not) with the products its 处罚通知 names, the
products that need attention, 我的申诉 with supplement use and rejection codes, and the account's
standing (state, requirements, point tallies, to-do counters).

Products of a record come from 通知 rather than 处罚详情, since opening a detail page sets the
record's 查看时间 on the site; a detail page is opened only for a record without a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from autofill.flowkit import (
    AppealsJob,
    PageFailed,
    ScanJob,
    expecting,
    in_tabs,
    navigate_by,
    other_pages,
)
from autofill.models import Appeal
from flows.aliexpress import parse
from flows.aliexpress.labels import ACTIVE_LABEL, NEEDS_ATTENTION
from flows.aliexpress.pages import (
    AccountHealthPage,
    AppealDetailPage,
    AppealsPage,
    NoticesPage,
    ProductDetailPage,
    ProductsPage,
    RecordDetailPage,
    RecordsPage,
    Shell,
    StoreProfilePage,
)
from flows.aliexpress.parse import Row

if TYPE_CHECKING:
    from playwright.async_api import Page


async def scan(job: ScanJob) -> None:
    page = await job.tab()
    try:
        job.progress.describe("账户")
        await _account(job, page)
        job.progress.describe("处罚记录")
        records = await _record_rows(job, page)
        job.progress.describe("通知")
        products_of = await _notice_products(job, page)
        job.progress.describe("商品管理")
        rows = await _product_rows(job, page)
    finally:
        await job.release(page)
    without_notice = [r for r in records if parse.record_id(r) not in products_of]
    job.progress.add_total(len(rows) + len(without_notice))
    products_of.update(await _detail_products(job, without_notice))
    job.progress.describe("商品详情")
    await _listings(job, rows)
    for row in records:
        job.sink.notice(parse.notice_from_record(row, products_of.get(parse.record_id(row), ())))
    job.progress.describe("我的申诉")
    await read_appeals(job)  # type: ignore[arg-type]


def _failed(job: ScanJob | AppealsJob) -> Callable[[PageFailed], None]:
    """A list page that still fails after the retries is a scan error; the rest goes on."""

    def record(err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)

    return record


async def _account(job: ScanJob, page: Page) -> None:
    shell = Shell(page)
    await job.open(page, job.url(shell.path), page_name=shell.title)
    async with expecting(shell.title, "read the to-do counters", "a 待办事项 section"):
        counters = await shell.todo()
    health = AccountHealthPage(page)
    await job.open(page, job.url(health.path), page_name=health.title)
    async with expecting(health.title, "read account standing",
                         "the 账户健康 heading and the 违规积分 table"):
        terms, tallies = await health.facts()
    profile = StoreProfilePage(page)
    await job.open(page, job.url(profile.path), page_name=profile.title)
    async with expecting(profile.title, "read the legal name", "the 店铺信息 heading"):
        job.sink.account(parse.account_from(terms, tallies, await profile.facts(), counters))


async def _record_rows(job: ScanJob, page: Page) -> list[Row]:
    """Every 处罚记录 row, all pages, each record once."""
    records = RecordsPage(page)
    await job.open(page, job.url(records.path), page_name=records.title)
    async with expecting(records.title, "read the records", "a 处罚记录 table"):
        rows = await records.rows()
    pages = await records.page_count()

    async def read(tab: Page) -> list[Row]:
        async with expecting(records.title, "read the records", "a 处罚记录 table"):
            return await RecordsPage(tab).rows()

    rows += await other_pages(job, page.url, pages, read, page_name=records.title,
                              on_error=_failed(job))
    return list({parse.record_id(r): r for r in rows if parse.record_id(r)}.values())


async def _notice_products(job: ScanJob, page: Page) -> dict[str, tuple[str, ...]]:
    """处罚编号 -> the products its 处罚通知 names (涉及商品), all pages of 通知."""
    notices = NoticesPage(page)
    await job.open(page, job.url(notices.path), page_name=notices.title)
    async with expecting(notices.title, "read the notices", "the 通知 heading"):
        found = await notices.read()
    pages = await notices.page_count()
    found += await other_pages(job, page.url, pages, lambda tab: NoticesPage(tab).read(),
                               page_name=notices.title, on_error=_failed(job))
    products: dict[str, tuple[str, ...]] = {}
    for terms in found:
        record_id, ids = parse.products_of_notice(terms)
        if record_id:
            products[record_id] = ids
    return products


async def _detail_products(job: ScanJob, rows: list[Row]) -> dict[str, tuple[str, ...]]:
    """The 涉及商品 of records that have no 处罚通知 (opening 处罚详情 marks them viewed)."""
    if not rows:
        return {}

    async def read(tab: Page, row: Row) -> tuple[str, tuple[str, ...]]:
        record_id = parse.record_id(row)
        await job.open(tab, row["links"].get("处罚编号") or "", page_name=RecordDetailPage.title,
                       step=f"处罚编号 {record_id}")
        async with expecting(RecordDetailPage.title, "read 涉及商品", "a 涉及商品 table"):
            ids = parse.products_of_detail(await RecordDetailPage(tab).product_rows())
        job.progress.advance()
        return record_id, ids

    def failed(row: Row, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)
        job.progress.advance()

    return dict(await in_tabs(job, rows, read, on_error=failed))


async def _product_rows(job: ScanJob, page: Page) -> list[Row]:
    """Every row of 商品管理 filtered to 需关注 (all pages), each product once."""
    products = ProductsPage(page)
    await job.open(page, job.url(products.path), page_name=products.title)
    async with expecting(products.title, "filter by 商品状态",
                         f"a 商品状态 filter with '{NEEDS_ATTENTION}' and a 商品列表 table"):
        await navigate_by(job, page, lambda: products.filter_by(NEEDS_ATTENTION),
                          page_name=products.title, step="filter by 商品状态")
        rows = await products.rows()
    pages = await products.page_count()

    async def read(tab: Page) -> list[Row]:
        async with expecting(products.title, "read the products", "a 商品列表 table"):
            return await ProductsPage(tab).rows()

    rows += await other_pages(job, page.url, pages, read, page_name=products.title,
                              on_error=_failed(job))
    unique: dict[str, Row] = {}
    for row in rows:  # a product that moved between pages while reading is read once
        key = row["cells"].get("商品ID", "")
        if key and row["cells"].get("商品状态") != ACTIVE_LABEL:
            unique.setdefault(key, row)
    return list(unique.values())


async def _listings(job: ScanJob, rows: list[Row]) -> None:
    async def read(tab: Page, row: Row) -> None:
        product_id = row["cells"].get("商品ID", "?")
        await job.open(tab, row["links"].get("操作") or "", page_name=f"商品 {product_id}",
                       step="查看详情")
        async with expecting(ProductDetailPage.title, "read the product", "a 商品信息 section"):
            facts = await ProductDetailPage(tab).facts()
        job.sink.listing(parse.listing_from(row, facts))
        job.progress.advance()

    def failed(row: Row, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)
        job.progress.advance()

    await in_tabs(job, rows, read, on_error=failed)


async def read_appeals(job: AppealsJob) -> None:
    """我的申诉, every page; each appeal past 已提交 opened for its supplement use and, when
    rejected, its evidence-deficiency code."""
    page = await job.tab()
    appeals = AppealsPage(page)
    try:
        await job.open(page, job.url(appeals.path), page_name=appeals.title)
        async with expecting(appeals.title, "read appeals", "the 我的申诉 heading"):
            rows = await appeals.rows()
        pages = await appeals.page_count()
        rows += await other_pages(job, page.url, pages, lambda tab: AppealsPage(tab).rows(),
                                  page_name=appeals.title, on_error=_failed(job))
    finally:
        await job.release(page)
    found: dict[str, tuple[Appeal, str]] = {}
    for row in rows:
        appeal = parse.appeal_from_row(row)
        if appeal.appeal_id:
            found[appeal.appeal_id] = (appeal, row["links"].get("申诉编号") or "")

    async def details(tab: Page, appeal_id: str) -> Appeal:
        appeal, url = found[appeal_id]
        await job.open(tab, url, page_name=f"{AppealDetailPage.title} {appeal_id}")
        async with expecting(AppealDetailPage.title, "read the appeal", "the 申诉详情 heading"):
            return parse.with_details(appeal, await AppealDetailPage(tab).facts())

    def failed(appeal_id: str, err: PageFailed) -> None:
        job.sink.error(err.page, err.step, err.detail)  # the list's facts are kept for it

    opened = [a.appeal_id for a, url in found.values() if a.status != "submitted" and url]
    detailed = {a.appeal_id: a for a in await in_tabs(job, opened, details, on_error=failed)}
    for appeal, _ in found.values():
        job.sink.appeal(detailed.get(appeal.appeal_id, appeal))
