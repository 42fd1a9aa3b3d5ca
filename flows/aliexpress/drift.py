"""Drift check for `autofill doctor --store X`: open each page the flows use (read-only: nothing is
typed or sent) and look for every key element its page object declares.

A 处罚详情 is opened only for a record the seller has already viewed, since opening one sets its
查看时间 on the site.
"""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.async_api import Page

from autofill.drift import Row, check_expects
from autofill.flowkit import DoctorJob, PageFailed, navigate_by
from flows.aliexpress.labels import NEEDS_ATTENTION
from flows.aliexpress.pages import (
    AccountHealthPage,
    AliPage,
    AppealDetailPage,
    AppealFormPage,
    AppealsPage,
    NoticesPage,
    ProductDetailPage,
    ProductsPage,
    RecordDetailPage,
    RecordsPage,
    ReportCenterPage,
    ReportFormPage,
    Shell,
    StoreProfilePage,
)

Rows = list[Row]


async def _check(job: DoctorJob, obj: AliPage, url: str) -> Rows:
    return await check_expects(job, obj.title, obj.expects(), obj.page, url)


def _ok(rows: Rows, title: str) -> bool:
    return all(ok for page, _, ok, _ in rows if page == title)


async def check_pages(job: DoctorJob) -> Rows:
    page = await job.tab()
    try:
        return await _pages(job, page)
    finally:
        await job.release(page)


async def _pages(job: DoctorJob, page: Page) -> Rows:
    rows = await _check(job, Shell(page), job.url(Shell.path))
    records = RecordsPage(page)
    rows += await _check(job, records, job.url(records.path))
    detail_url = appeal_url = None
    if _ok(rows, records.title):
        for row in await records.rows():
            cells, links = row["cells"], row["links"]
            if detail_url is None and "未查看" not in cells.get("查看时间", "未查看"):
                detail_url = links.get("处罚编号")
            if appeal_url is None and "申请申诉" in cells.get("操作", ""):
                link = records.appeal_link(cells.get("处罚编号", ""))
                href = await link.first.get_attribute("href") if await link.count() else None
                appeal_url = urljoin(page.url, href) if href else None
    if detail_url:
        rows += await _check(job, RecordDetailPage(page), detail_url)
    if appeal_url:  # opening the form is read-only
        rows += await _check(job, AppealFormPage(page), appeal_url)
    rows += await _products(job, page)
    for obj in (NoticesPage(page), AccountHealthPage(page), StoreProfilePage(page)):
        rows += await _check(job, obj, job.url(obj.path))
    appeals = AppealsPage(page)
    rows += await _check(job, appeals, job.url(appeals.path))
    if _ok(rows, appeals.title):
        listed = await appeals.rows()
        first = listed[0]["links"].get("申诉编号") if listed else None
        if first:
            rows += await _check(job, AppealDetailPage(page), first)
    center = ReportCenterPage(page)
    rows += await _check(job, center, job.url(center.path))
    if _ok(rows, center.title):
        rows += await _check(job, ReportFormPage(page), job.url(ReportFormPage.path))
    return rows


async def _products(job: DoctorJob, page: Page) -> Rows:
    products = ProductsPage(page)
    rows = await _check(job, products, job.url(products.path))
    if not _ok(rows, products.title):
        return rows
    try:
        await navigate_by(job, page, lambda: products.filter_by(NEEDS_ATTENTION),
                          page_name=products.title, step="filter by 商品状态")
    except PageFailed as err:
        return rows + [(products.title, f"filter '{NEEDS_ATTENTION}'", False, err.detail)]
    listed = await products.rows()
    detail_url = listed[0]["links"].get("操作") if listed else None
    if detail_url:
        rows += await _check(job, ProductDetailPage(page), detail_url)
    return rows
