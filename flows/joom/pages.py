"""Joom Seller Center page objects: locators defined once, from roles, labels and text.

Each page declares its key elements (`expects`): `autofill doctor --store X` checks them against
the live site, so drift is caught by the same knowledge the flows use. A page the scan reads in
bulk also declares a `reading`: the same roles and names, read in one call from the page fetched
in a tab (autofill.reading) instead of opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autofill.dom import Part, Reading, Role, read_table, read_terms, read_terms_all

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

PAGINATION = Role("navigation", "Pagination")


@dataclass
class JoomPage:
    page: Page
    title = ""
    path = ""

    def expects(self) -> dict[str, Locator]:
        return {}


class LoginPage(JoomPage):
    title = "Log in"
    path = "/login"

    @property
    def email(self) -> Locator:
        return self.page.get_by_label("Email")

    @property
    def password(self) -> Locator:
        return self.page.get_by_label("Password")

    @property
    def log_in(self) -> Locator:
        return self.page.get_by_role("button", name="Log in")

    async def log_in_with(self, email: str, password: str) -> None:
        await self.email.fill(email)
        await self.password.fill(password)
        await self.log_in.click()

    def expects(self) -> dict[str, Locator]:
        return {"Email field": self.email, "Password field": self.password,
                "Log in button": self.log_in}


class Shell(JoomPage):
    """What every logged-in page has: the main navigation."""

    title = "Dashboard"
    path = "/"

    @property
    def nav(self) -> Locator:
        return self.page.get_by_role("navigation", name="Main")

    @property
    def products_link(self) -> Locator:
        return self.nav.get_by_role("link", name="Products", exact=True)

    def expects(self) -> dict[str, Locator]:
        return {"Main navigation": self.nav, "Products link": self.products_link,
                "Appeals link": self.nav.get_by_role("link", name="Appeals")}


class ProductsPage(JoomPage):
    title = "Products > All Products"
    path = "/products"
    TABLE = Role("table", "Products")
    STATUS = "Status"  # the filter's label
    reading = Reading(title, {"rows": Part(TABLE, "table"), "pagination": Part(PAGINATION, "text")},
                      key="rows")
    # where each Status choice leads (what choosing it and "Apply filter" load)
    filter_reading = Reading(title, {"filter": Part(Role("combobox", STATUS), "choices")},
                             key="filter")

    @property
    def status_filter(self) -> Locator:
        return self.page.get_by_label(self.STATUS)

    @property
    def apply(self) -> Locator:
        return self.page.get_by_role("button", name="Apply filter")

    @property
    def table(self) -> Locator:
        return self.TABLE.within(self.page)

    @property
    def pagination(self) -> Locator:
        return PAGINATION.within(self.page)

    async def filter_by(self, label: str) -> None:
        """Choose a status and apply it (the page reloads with the filter)."""
        await self.status_filter.select_option(label=label)
        await self.apply.click()

    async def rows(self) -> list[dict[str, Any]]:
        return await read_table(self.table)

    async def page_count(self) -> int:
        """N of "Page k of N" (1 when there is no pagination)."""
        if await self.pagination.count() == 0:
            return 1
        text = await self.pagination.inner_text()
        return _of_n(text)

    async def next_href(self) -> str | None:
        link = self.pagination.get_by_role("link", name="Next")
        return await link.get_attribute("href") if await link.count() else None

    def expects(self) -> dict[str, Locator]:
        return {"Status filter": self.status_filter, "Apply filter button": self.apply,
                "Products table": self.table}


class ProductDetailsPage(JoomPage):
    title = "Product > View Details"
    path = "/products/{id}"
    DETAILS = Role("region", "Product details")
    VIOLATION = Role("region", "Violation")
    reading = Reading(title, {"product": Part(DETAILS), "violation": Part(VIOLATION)},
                      key="product")

    @property
    def details(self) -> Locator:
        return self.DETAILS.within(self.page)

    @property
    def violation(self) -> Locator:
        return self.VIOLATION.within(self.page)

    @property
    def appeal(self) -> Locator:
        return self.page.get_by_role("link", name="Appeal", exact=True)

    async def facts(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        await self.details.wait_for()
        product = await read_terms(self.details)
        violation = await read_terms(self.violation) if await self.violation.count() else {}
        return product, violation

    def expects(self) -> dict[str, Locator]:
        return {"Product details section": self.details}


class NotificationsPage(JoomPage):
    title = "Notifications"
    path = "/notifications"
    HEADING = Role("heading", "Notifications", level=1)
    NOTIFICATION = Role("article")
    reading = Reading(title, {
        "heading": Part(HEADING, "exists"),
        "headings": Part(Role("heading"), "text", each=True, within=NOTIFICATION),
        "terms": Part(NOTIFICATION, "terms", each=True),
        "pagination": Part(PAGINATION, "text"),
    }, key="heading")

    @property
    def heading(self) -> Locator:
        return self.HEADING.within(self.page)

    @property
    def notifications(self) -> Locator:
        return self.NOTIFICATION.within(self.page)

    @property
    def pagination(self) -> Locator:
        return PAGINATION.within(self.page)

    async def read(self) -> list[tuple[str, dict[str, dict[str, Any]]]]:
        """(heading text, terms) for every notification on the page."""
        await self.heading.wait_for()
        headings = await self.notifications.get_by_role("heading").all_inner_texts()
        terms = await read_terms_all(self.notifications)
        return list(zip(headings, terms, strict=False))

    async def page_count(self) -> int:
        if await self.pagination.count() == 0:
            return 1
        return _of_n(await self.pagination.inner_text())

    @staticmethod
    def notifications_read(parts: dict[str, Any]) -> list[tuple[str, dict[str, dict[str, Any]]]]:
        """`read()`'s answer from a `reading`."""
        return list(zip(parts["headings"], parts["terms"], strict=False))

    def expects(self) -> dict[str, Locator]:
        return {"Notifications heading": self.heading}


class _TermsPage(JoomPage):
    heading_name = ""

    @property
    def heading(self) -> Locator:
        return _heading(self.heading_name).within(self.page)

    async def facts(self) -> dict[str, dict[str, Any]]:
        await self.heading.wait_for()
        return await read_terms(self.page.get_by_role("main"))

    def expects(self) -> dict[str, Locator]:
        return {f"{self.heading_name} heading": self.heading}


def _heading(name: str) -> Role:
    return Role("heading", name, level=1)


def _terms_reading(heading: str) -> Reading:
    return Reading(heading, {"heading": Part(_heading(heading), "exists"),
                             "facts": Part(Role("main"))}, key="heading")


class AccountHealthPage(_TermsPage):
    title = heading_name = "Account Health"
    path = "/account-health"
    reading = _terms_reading(heading_name)


class StoreProfilePage(_TermsPage):
    title = heading_name = "Store Profile"
    path = "/settings/profile"
    reading = _terms_reading(heading_name)


class AppealsPage(JoomPage):
    title = "Support > Appeals"
    path = "/support/appeals"
    HEADING = Role("heading", "Appeals", level=1)
    TABLE = Role("table", "Appeals")
    reading = Reading(title, {"heading": Part(HEADING, "exists"), "rows": Part(TABLE, "table"),
                              "pagination": Part(PAGINATION, "text")}, key="heading")

    @property
    def table(self) -> Locator:
        return self.TABLE.within(self.page)

    @property
    def pagination(self) -> Locator:
        return PAGINATION.within(self.page)

    async def rows(self) -> list[dict[str, Any]]:
        await self.HEADING.within(self.page).wait_for()
        if await self.table.count() == 0:
            return []
        return await read_table(self.table)

    async def page_count(self) -> int:
        if await self.pagination.count() == 0:
            return 1
        return _of_n(await self.pagination.inner_text())

    def expects(self) -> dict[str, Locator]:
        return {"Appeals heading": self.HEADING.within(self.page)}


class AppealDetailPage(JoomPage):
    title = "Support > Appeal"
    path = "/support/appeals/{id}"
    reading = Reading(title, {"heading": Part(Role("heading", "Appeal", level=1), "exists"),
                              "facts": Part(Role("main"))}, key="heading")

    @property
    def form(self) -> Locator:
        return self.page.get_by_role("form", name="Additional information")

    @property
    def text(self) -> Locator:
        return self.form.get_by_label("Additional information")

    @property
    def files(self) -> Locator:
        return self.form.get_by_label("Additional evidence")

    @property
    def send(self) -> Locator:
        return self.form.get_by_role("button", name="Send additional information")

    async def facts(self) -> dict[str, dict[str, Any]]:
        return await read_terms(self.page.get_by_role("main"))


class AppealFormPage(JoomPage):
    title = "Product > Appeal"
    path = "/products/{id}/appeal"

    @property
    def form(self) -> Locator:
        return self.page.get_by_role("form", name="Appeal")

    @property
    def appeal_type(self) -> Locator:
        return self.form.get_by_label("Appeal type")

    @property
    def statement(self) -> Locator:
        return self.form.get_by_label("Statement (English)")

    @property
    def files(self) -> Locator:
        return self.form.get_by_label("Evidence files")

    @property
    def selected_files(self) -> Locator:
        return self.page.get_by_role("list", name="Selected files")

    @property
    def submit(self) -> Locator:
        """The final submit: located to highlight it for the human, never clicked."""
        return self.form.get_by_role("button", name="Submit appeal")

    @property
    def errors(self) -> Locator:
        return self.page.get_by_role("alert")

    def expects(self) -> dict[str, Locator]:
        return {"Appeal form": self.form, "Appeal type select": self.appeal_type,
                "Statement field": self.statement, "Evidence files input": self.files,
                "Submit appeal button": self.submit}


def page_count_of(text: str | None) -> int:
    """N of the Pagination's "Page k of N" (1 without pagination)."""
    return _of_n(text) if text else 1


def _of_n(text: str) -> int:
    """"Page 2 of 25" -> 25."""
    import re  # noqa: PLC0415

    found = re.search(r"Page\s+\d+\s+of\s+(\d+)", text)
    return int(found.group(1)) if found else 1
