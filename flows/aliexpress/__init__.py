"""AliExpress seller backend (卖家后台, Chinese UI) flows. Registered with the core through the
`autofill.flows` entry point (`flows.aliexpress:platform`).

Kept light: Playwright and the page objects load only when a flow runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

    from autofill.flowkit import AppealsJob, DoctorJob, FilledForm, PrefillJob, ScanJob

# The sandbox's demo account (autofill/sandbox/aliexpress/SPEC.md); typed only for local sandboxes.
DEMO_ACCOUNT = "demo@seller.example"
DEMO_PASSWORD = "sandbox-demo"


class AliExpressPlatform:
    name = "aliexpress"
    default_base_url = "https://gsp.aliexpress.com"
    sandbox_path = "/aliexpress"
    rulepack = "aliexpress"

    def login_url(self, base_url: str) -> str:
        return base_url.rstrip("/") + "/login"

    def logged_in_marker(self, page: Page) -> Locator:
        from flows.aliexpress.pages import Shell

        return Shell(page).records_link

    async def is_login_page(self, page: Page) -> bool:
        from flows.aliexpress.pages import LoginPage

        return await LoginPage(page).log_in.count() > 0

    async def demo_login(self, page: Page, base_url: str) -> None:
        from flows.aliexpress.pages import LoginPage

        await LoginPage(page).log_in_with(DEMO_ACCOUNT, DEMO_PASSWORD)

    async def scan(self, job: ScanJob) -> None:
        from flows.aliexpress.scan import scan

        await scan(job)

    async def read_appeals(self, job: AppealsJob) -> None:
        from flows.aliexpress.scan import read_appeals

        await read_appeals(job)

    async def prefill(self, job: PrefillJob) -> FilledForm:
        from flows.aliexpress.prefill import prefill

        return await prefill(job)

    async def doctor(self, job: DoctorJob) -> list[tuple[str, str, bool, str]]:
        from flows.aliexpress.drift import check_pages

        return await check_pages(job)


platform = AliExpressPlatform()
