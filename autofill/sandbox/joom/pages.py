"""The Joom Seller Center pages (SPEC.md): one method per page, rendered from templates/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from autofill.sandbox.clock import iso
from autofill.sandbox.joom.catalogue import (
    APPEAL_STATUS_LABELS,
    HELP_CENTER_URL,
    STATUS_FILTERS,
    STATUS_LABELS,
)
from autofill.sandbox.joom.data import Appeal, Listing, Notice
from autofill.sandbox.joom.forms import (
    FileRules,
    file_problems,
    normalize_text,
    receive_files,
    text_problems,
)
from autofill.sandbox.joom.state import JoomState
from autofill.sandbox.sessions import (
    CSRF_FIELD,
    CSRF_MESSAGE,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    Session,
    SessionStore,
)

PREFIX = "/joom"
PER_PAGE = 50
MAX_BODY = 80 * 1024 * 1024  # refuse absurd uploads before parsing them
_FORM_LIMITS: dict[str, Any] = {"max_files": 50, "max_fields": 50}
_BAD = {"removed", "disabled_by_joom", "rejected", "inactive"}
_WAIT = {"warning", "pending_review", "processing"}


@dataclass
class Pager:
    items: list[Any]
    page: int
    pages: int
    first: int
    last: int
    total: int


def paginate(items: list[Any], raw_page: str | None) -> Pager:
    """One page of 50; a page number out of range shows the nearest page."""
    total = len(items)
    pages = max(1, -(-total // PER_PAGE))
    try:
        page = min(max(int(raw_page or 1), 1), pages)
    except ValueError:
        page = 1
    start = (page - 1) * PER_PAGE
    chunk = items[start:start + PER_PAGE]
    return Pager(chunk, page, pages, start + 1 if chunk else 0, start + len(chunk), total)


def _summary(pager: Pager, noun: str) -> str:
    if not pager.total:
        return f"Showing 0 of 0 {noun}"
    return f"Showing {pager.first}–{pager.last} of {pager.total:,} {noun}"


def _money(value: float | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


def _badge(status: str) -> str:
    return "badge-bad" if status in _BAD else "badge-wait" if status in _WAIT else "badge-good"


def _appeal_badge(status: str) -> str:
    return {"approved": "badge-good", "rejected": "badge-bad", "closed": "badge-bad",
            "info_requested": "badge-bad"}.get(status, "badge-wait")


class JoomPages:
    """Route endpoints of the Joom imitation; every page but login needs a session."""

    def __init__(self, state: JoomState, sessions: SessionStore) -> None:
        self.state = state
        self.sessions = sessions
        self.env = Environment(
            loader=FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=False,
        )
        self.env.globals.update(
            iso=iso, money=_money, badge=_badge, appeal_badge=_appeal_badge,
            status_label=STATUS_LABELS.__getitem__, appeal_label=APPEAL_STATUS_LABELS.__getitem__,
            help_url=HELP_CENTER_URL,
        )

    def render(
        self, name: str, title: str, session: Session | None, http_status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        logged_in = session is not None and session.user is not None
        html = self.env.get_template(name).render(
            page_title=title, logged_in=logged_in, store=self.state.data.store,
            account=self.state.data.account,
            csrf_token=session.csrf_token if session else "", **context,
        )
        return HTMLResponse(html, status_code=http_status, headers={"cache-control": "no-store"})

    def message(
        self, session: Session | None, status: int, heading: str, message: str,
        back_url: str = "", back_label: str = "",
    ) -> HTMLResponse:
        return self.render("message.html", heading, session, status, heading=heading,
                           message=message, back_url=back_url, back_label=back_label)

    def csrf_refused(self, session: Session | None) -> HTMLResponse:
        return self.message(session, 403, "Forbidden", CSRF_MESSAGE)

    # -- session ------------------------------------------------------------------------------

    async def login_page(self, request: Request) -> Response:
        session, new = self.sessions.ensure(request)
        next_url = self.sessions.safe_next(request.query_params.get("next"))
        if session.user is not None:
            return RedirectResponse(next_url, 303)
        response = self._login_form(session, next_url, email="", error="", status=200)
        if new:
            self.sessions.set_cookie(response, session)
        return response

    async def login_submit(self, request: Request) -> Response:
        async with request.form(**_FORM_LIMITS) as form:
            session = self.sessions.current(request)
            if not self.sessions.csrf_ok(session, form.get(CSRF_FIELD)):
                return self.csrf_refused(None)
            assert session is not None
            email = str(form.get("email") or "").strip()
            password = str(form.get("password") or "")
            next_url = self.sessions.safe_next(str(form.get("next") or ""))
        if email.lower() != DEMO_EMAIL or password != DEMO_PASSWORD:
            return self._login_form(session, next_url, email=email,
                                    error="Incorrect email or password.", status=400)
        fresh = self.sessions.log_in(request, DEMO_EMAIL)
        response = RedirectResponse(next_url, 303)
        self.sessions.set_cookie(response, fresh)
        return response

    def _login_form(
        self, session: Session, next_url: str, email: str, error: str, status: int
    ) -> HTMLResponse:
        return self.render("login.html", "Log in", session, status, next_url=next_url,
                           email=email, error=error, demo_email=DEMO_EMAIL,
                           demo_password=DEMO_PASSWORD)

    async def logout(self, request: Request) -> Response:
        self.sessions.log_out(request)
        response = RedirectResponse(f"{PREFIX}/login", 303)
        self.sessions.clear_cookie(response)
        return response

    # -- pages --------------------------------------------------------------------------------

    async def dashboard(self, request: Request, session: Session) -> Response:
        state = self.state
        counts = {
            "not_active": len(state.listings_with("not_active")),
            "notifications": len(state.data.notices),
            "info_requests": sum(1 for a in state.data.appeals
                                 if state.appeal_status(a) == "info_requested"),
        }
        return self.render("dashboard.html", "Dashboard", session, current="dashboard",
                           counts=counts)

    async def products(self, request: Request, session: Session) -> Response:
        status = request.query_params.get("status", "all")
        if status not in dict(STATUS_FILTERS):
            status = "all"
        pager = paginate(self.state.listings_with(status), request.query_params.get("page"))
        return self.render(
            "products.html", "All Products", session, current="products", pager=pager,
            status=status, filters=STATUS_FILTERS, summary=_summary(pager, "products"),
            drift=self.state.drift,
            page_url=lambda n: f"{PREFIX}/products?status={status}&page={n}",
        )

    async def product(self, request: Request, session: Session) -> Response:
        listing = self.state.listings.get(request.path_params["listing_id"])
        if listing is None:
            return self._no_product(session)
        notice = self.state.notices.get(listing.notice_id) if listing.notice_id else None
        return self.render(
            "product.html", listing.title, session, current="products", listing=listing,
            notice=notice,
            open_appeal=self.state.open_appeal(notice.notice_id) if notice else None,
            approved=self.state.approved_appeal(notice.notice_id, listing.listing_id)
            if notice else None,
        )

    async def notifications(self, request: Request, session: Session) -> Response:
        pager = paginate(self.state.data.notices, request.query_params.get("page"))
        return self.render(
            "notifications.html", "Notifications", session, current="notifications",
            pager=pager, summary=_summary(pager, "notifications"),
            page_url=lambda n: f"{PREFIX}/notifications?page={n}",
        )

    async def account_health(self, request: Request, session: Session) -> Response:
        return self.render("account_health.html", "Account Health", session,
                           current="account_health")

    async def profile(self, request: Request, session: Session) -> Response:
        return self.render("profile.html", "Store Profile", session, current="profile")

    async def appeals(self, request: Request, session: Session) -> Response:
        pager = paginate(self.state.data.appeals, request.query_params.get("page"))
        rows = [{"appeal": a, "status": self.state.appeal_status(a),
                 "deadline": self.state.open_deadline(a)} for a in pager.items]
        return self.render(
            "appeals.html", "Appeals", session, current="appeals", pager=pager, rows=rows,
            summary=_summary(pager, "appeals"),
            page_url=lambda n: f"{PREFIX}/support/appeals?page={n}",
        )

    # -- the Appeal form ----------------------------------------------------------------------

    async def appeal_form(self, request: Request, session: Session) -> Response:
        found = self._appealable(request, session)
        if isinstance(found, Response):
            return found
        listing, notice = found
        return self._appeal_form(session, listing, notice, {}, [], 200)

    async def appeal_submit(self, request: Request, session: Session) -> Response:
        if _too_large(request):
            return self._too_large_page(session)
        async with request.form(**_FORM_LIMITS) as form:
            if not self.sessions.csrf_ok(session, form.get(CSRF_FIELD)):
                return self.csrf_refused(session)
            found = self._appealable(request, session)
            if isinstance(found, Response):
                return found
            listing, notice = found
            values, problems, files = await self._read_appeal(form, notice)
        if problems:
            return self._appeal_form(session, listing, notice, values, problems, 400)
        fields = {"contact_phone": values["contact_phone"]} if values["contact_phone"] else {}
        appeal = self.state.submit_appeal(listing, notice, values["appeal_type"],
                                          values["statement"], files, fields)
        session_flash(session, appeal.appeal_id, f"Appeal {appeal.appeal_id} submitted.")
        return RedirectResponse(f"{PREFIX}/support/appeals/{appeal.appeal_id}", 303)

    async def _read_appeal(
        self, form: FormData, notice: Notice
    ) -> tuple[dict[str, str], list[str], list[Any]]:
        variant = self.state.form_variant
        values = {
            "appeal_type": str(form.get("appeal_type") or ""),
            "statement": normalize_text(form.get("statement")),
            "contact_phone": str(form.get("contact_phone") or "").strip(),
        }
        problems = []
        if values["appeal_type"] not in notice.appeal_types:
            problems.append("Choose an appeal type.")
        problems += text_problems(values["statement"], "Enter a statement.",
                                  "The statement must be 500 characters or fewer.")
        if variant == "new_required_field" and not values["contact_phone"]:
            problems.append("Enter a contact phone number.")
        files = await receive_files(form, "evidence")
        problems += file_problems(files, self._file_rules(), required=True)
        return values, problems, files

    def _appeal_form(
        self, session: Session, listing: Listing, notice: Notice, values: dict[str, str],
        errors: list[str], status: int,
    ) -> HTMLResponse:
        variant = self.state.form_variant
        label = "Appeal description (English)" if variant == "renamed_field" \
            else "Statement (English)"
        defaults = {"appeal_type": "", "statement": "", "contact_phone": ""}
        return self.render(
            "appeal_form.html", "Appeal", session, status, current="products", listing=listing,
            notice=notice, values={**defaults, **values}, errors=errors, variant=variant,
            statement_label=label, rules=self._file_rules(),
        )

    def _appealable(self, request: Request, session: Session) -> tuple[Listing, Notice] | Response:
        listing = self.state.listings.get(request.path_params["listing_id"])
        if listing is None:
            return self._no_product(session)
        notice = self.state.notices.get(listing.notice_id) if listing.notice_id else None
        back = f"{PREFIX}/products/{listing.listing_id}"
        if notice is None:
            return self.message(session, 404, "Appeal", "This product has no notification to "
                                "appeal.", back, "Back to the product")
        if not notice.appealable:
            return self.message(session, 409, "Appeal", "This decision is final and cannot be "
                                "appealed.", back, "Back to the product")
        return listing, notice

    def _too_large_page(self, session: Session) -> HTMLResponse:
        return self.message(session, 413, "Upload too large",
                            "The upload is too large. Attach at most 5 files of 10 MB each.")

    def _file_rules(self) -> FileRules:
        return FileRules(pdf_only=self.state.form_variant == "dropped_file_type")

    def _no_product(self, session: Session) -> HTMLResponse:
        return self.message(session, 404, "Product not found",
                            "There is no product with this ID in your store.",
                            f"{PREFIX}/products", "Back to All Products")

    # -- one appeal and its request for more information ---------------------------------------

    async def appeal(self, request: Request, session: Session) -> Response:
        appeal = self.state.appeals.get(request.path_params["appeal_id"])
        if appeal is None:
            return self._no_appeal(session)
        return self._appeal_page(session, appeal, {}, [], 200,
                                 flash=session_take_flash(session, appeal.appeal_id))

    async def appeal_answer(self, request: Request, session: Session) -> Response:
        if _too_large(request):
            return self._too_large_page(session)
        async with request.form(**_FORM_LIMITS) as form:
            if not self.sessions.csrf_ok(session, form.get(CSRF_FIELD)):
                return self.csrf_refused(session)
            appeal = self.state.appeals.get(request.path_params["appeal_id"])
            if appeal is None:
                return self._no_appeal(session)
            text = normalize_text(form.get("additional_information"))
            if self.state.appeal_status(appeal) != "info_requested":
                return self._appeal_page(session, appeal, {"additional_information": text}, [
                    "The deadline to respond has passed or there is no open request. "
                    "This appeal cannot take additional information."], 400)
            problems = text_problems(text, "Enter the additional information.",
                                     "The additional information must be 500 characters or "
                                     "fewer.")
            files = await receive_files(form, "additional_evidence")
        problems += file_problems(files, self._file_rules(), required=False)
        if problems:
            return self._appeal_page(session, appeal, {"additional_information": text},
                                     problems, 400)
        self.state.answer_info_request(appeal, text, files)
        session_flash(session, appeal.appeal_id, "Additional information sent.")
        return RedirectResponse(f"{PREFIX}/support/appeals/{appeal.appeal_id}", 303)

    def _appeal_page(
        self, session: Session, appeal: Appeal, values: dict[str, str], errors: list[str],
        status: int, flash: str | None = None,
    ) -> HTMLResponse:
        files = [f for s in self.state.submissions
                 if s.appeal_id == appeal.appeal_id and s.kind == "appeal" for f in s.files]
        return self.render(
            "appeal.html", f"Appeal {appeal.appeal_id}", session, status, current="appeals",
            appeal=appeal, status=self.state.appeal_status(appeal),
            deadline=self.state.open_deadline(appeal), values={"additional_information": "",
                                                                **values},
            errors=errors, flash=flash, files=files, rules=self._file_rules(),
        )

    def _no_appeal(self, session: Session) -> HTMLResponse:
        return self.message(session, 404, "Appeal not found", "There is no appeal with this ID.",
                            f"{PREFIX}/support/appeals", "Back to Appeals")

    async def not_found(self, request: Request) -> Response:
        session = self.sessions.current(request)
        return self.message(session if session and session.user else None, 404,
                            "Page not found", "This page does not exist.", f"{PREFIX}/", "Home")


def _too_large(request: Request) -> bool:
    try:
        return int(request.headers.get("content-length") or 0) > MAX_BODY
    except ValueError:
        return False


def session_flash(session: Session, key: str, text: str) -> None:
    """Remember a one-time message for the next page about `key` (post/redirect/get)."""
    session.flash[key] = text


def session_take_flash(session: Session, key: str) -> str | None:
    return session.flash.pop(key, None)
