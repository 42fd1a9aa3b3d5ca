"""Joom Seller Center flows. Registered with the core through the `autofill.flows` entry point.

Kept light: Playwright and the page objects load only when a flow runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

    from autofill.flowkit import AppealsJob, DoctorJob, PrefillJob, ScanJob

# The sandbox's demo account (autofill/sandbox/joom/SPEC.md); typed only for local sandboxes.
DEMO_EMAIL = "demo@seller.example"
DEMO_PASSWORD = "sandbox-demo"


class JoomPlatform:
    name = "joom"
    default_base_url = "https://merchant.joom.com"
    sandbox_path = "/joom"
    rulepack = "joom"

    def login_url(self, base_url: str) -> str:
        return base_url.rstrip("/") + "/login"

    def logged_in_marker(self, page: Page) -> Locator:
        from flows.joom.pages import Shell

        return Shell(page).products_link

    async def is_login_page(self, page: Page) -> bool:
        from flows.joom.pages import LoginPage

        return await LoginPage(page).log_in.count() > 0

    async def demo_login(self, page: Page, base_url: str) -> None:
        from flows.joom.pages import LoginPage

        await LoginPage(page).log_in_with(DEMO_EMAIL, DEMO_PASSWORD)

    async def scan(self, job: ScanJob) -> None:
        from flows.joom.scan import scan

        await scan(job)

    async def read_appeals(self, job: AppealsJob) -> None:
        from flows.joom.scan import read_appeals

        await read_appeals(job)

    async def prefill(self, job: PrefillJob) -> Any:
        from flows.joom.prefill import prefill

        return await prefill(job)

    async def doctor(self, job: DoctorJob) -> list[tuple[str, str, bool, str]]:
        from flows.joom.drift import check_pages

        return await check_pages(job)


platform = JoomPlatform()
