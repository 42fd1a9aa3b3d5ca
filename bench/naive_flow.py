"""The naive flow: what a recorded browser script does to collect a Joom store.

Per tab: open the products list filtered by status, then for each row click its "View Details",
read the details and go back; the same for notifications and appeals (clicking each rejected
appeal and going back). With `--concurrency N` there are N such tabs, each taking every N-th
list page, so it is compared at the same politeness as the scan. It reuses the flow's page
objects (locators by role and label) but none of the scan's shortcuts. Prints the collected data
(bench/collected.py shape) as JSON on stdout.

    python bench/naive_flow.py --base http://127.0.0.1:8765/joom --state session.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import BrowserContext, Page, async_playwright  # noqa: E402

from autofill.browser import LAUNCH_ARGS, find_browser  # noqa: E402
from autofill.flowkit import with_page  # noqa: E402
from autofill.models import Appeal, Listing, Notice  # noqa: E402
from bench.collected import Collected, collected, merge_notices  # noqa: E402
from flows.joom import parse  # noqa: E402
from flows.joom.pages import (  # noqa: E402
    AccountHealthPage,
    AppealDetailPage,
    AppealsPage,
    NotificationsPage,
    ProductDetailsPage,
    ProductsPage,
    StoreProfilePage,
)
from flows.joom.scan import NEEDS_ATTENTION  # noqa: E402


async def spread(context: BrowserContext, pages: int, tabs: int, work: Any) -> list[Any]:
    """Run `work(tab, page_number)` for list pages 1..pages, tab k taking pages k+1, k+1+tabs..."""

    async def one_tab(k: int) -> list[Any]:
        tab = await context.new_page()
        try:
            return [await work(tab, n) for n in range(k + 1, pages + 1, tabs)]
        finally:
            await tab.close()

    done = await asyncio.gather(*(one_tab(k) for k in range(min(tabs, pages))))
    return [item for per_tab in done for item in per_tab]


async def collect(context: BrowserContext, base: str, tabs: int) -> Collected:
    page = await context.new_page()
    await page.goto(base + AccountHealthPage.path)
    health = await AccountHealthPage(page).facts()
    await page.goto(base + StoreProfilePage.path)
    parse.account_from(health, await StoreProfilePage(page).facts())

    products = ProductsPage(page)
    await page.goto(base + products.path)
    async with page.expect_navigation():
        await products.filter_by(NEEDS_ATTENTION)
    filtered = page.url
    count = await products.page_count()
    await page.close()

    async def product_page(tab: Page, number: int) -> list[tuple[Listing, Notice | None]]:
        await tab.goto(with_page(filtered, number))
        listing_page = ProductsPage(tab)
        out = []
        for row in await listing_page.rows():
            if row["cells"].get("Status") == "Active":
                continue
            listing_id = row["cells"]["Product ID"]
            async with tab.expect_navigation():
                await tab.get_by_role("link", name=f"View Details for {listing_id}").click()
            product, violation = await ProductDetailsPage(tab).facts()
            listing = parse.listing_from(row, product, violation)
            out.append((listing, parse.notice_from_violation(violation, listing_id)))
            await tab.go_back()
            await listing_page.table.wait_for()
        return out

    read = [x for chunk in await spread(context, count, tabs, product_page) for x in chunk]
    listings = {listing.listing_id: listing for listing, _ in read}

    first = await context.new_page()
    await first.goto(base + NotificationsPage.path)
    notice_pages = await NotificationsPage(first).page_count()
    await first.goto(base + AppealsPage.path)
    appeal_pages = await AppealsPage(first).page_count()
    await first.close()

    async def notification_page(tab: Page, number: int) -> list[tuple[str, Any]]:
        await tab.goto(with_page(base + NotificationsPage.path, number))
        return await NotificationsPage(tab).read()

    from_notifications: dict[str, Notice] = {}
    for chunk in await spread(context, notice_pages, tabs, notification_page):
        for heading, terms in chunk:
            notice = parse.notice_from_notification(heading, terms)
            if notice is not None:
                from_notifications[notice.notice_id] = notice
    notices = merge_notices(from_notifications, [n for _, n in read if n is not None])

    async def appeal_page(tab: Page, number: int) -> list[Appeal]:
        await tab.goto(with_page(base + AppealsPage.path, number))
        appeals_page = AppealsPage(tab)
        out = []
        for row in await appeals_page.rows():
            appeal = parse.appeal_from_row(row)
            if appeal.status == "rejected":
                async with tab.expect_navigation():
                    await appeals_page.table.get_by_role("link", name=appeal.appeal_id).click()
                code = parse.text(await AppealDetailPage(tab).facts(), "Rejection code")
                appeal = appeal.model_copy(update={"rejection_code": code or None})
                await tab.go_back()
                await appeals_page.table.wait_for()
            out.append(appeal)
        return out

    appeals = [a for chunk in await spread(context, appeal_pages, tabs, appeal_page)
               for a in chunk]
    return collected(listings.values(), notices, appeals)


async def run(base: str, state: dict[str, Any], tabs: int) -> Collected:
    choice = find_browser()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            args=LAUNCH_ARGS)
        context = await browser.new_context(storage_state=state)  # type: ignore[arg-type]
        try:
            return await collect(context, base, tabs)
        finally:
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the store's base URL (…/joom)")
    parser.add_argument("--state", required=True, type=Path, help="saved storage state (JSON)")
    parser.add_argument("--concurrency", type=int, default=3, help="tabs, each a recorded script")
    args = parser.parse_args()
    state = json.loads(args.state.read_text(encoding="utf-8"))
    json.dump(asyncio.run(run(args.base.rstrip("/"), state, args.concurrency)), sys.stdout)


if __name__ == "__main__":
    main()
