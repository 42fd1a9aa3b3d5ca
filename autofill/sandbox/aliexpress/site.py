"""The running site: its data, clock, sessions and templates, shared by the page modules."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from autofill.sandbox.aliexpress import timefmt
from autofill.sandbox.aliexpress.data import build_world
from autofill.sandbox.aliexpress.models import World
from autofill.sandbox.clock import SandboxClock
from autofill.sandbox.config import SandboxConfig
from autofill.sandbox.sessions import CSRF_FIELD, Session, SessionStore, login_required

PREFIX = "/aliexpress"
COOKIE = "ae_session"
PER_PAGE = 20
CSRF_MESSAGE = "页面已过期或安全校验失败(CSRF),请刷新页面后重试。"
MAX_UPLOAD_FILES = 64  # per request, across all file inputs (form rules refuse more than 5 each)
MAX_BODY = 200 * 1024 * 1024  # refuse absurd uploads before parsing them
TOO_LARGE = "上传内容总大小超出限制,请减少文件后重试。"

T = TypeVar("T")
SessionPage = Callable[[Request, Session], Awaitable[Response]]


@dataclass(frozen=True)
class Pagination:
    """One page of a list, with the links of the 分页 nav."""

    items: Sequence[Any]
    page: int
    pages: int
    total: int
    prev_url: str | None
    next_url: str | None


class Site:
    """One AliExpress sandbox: `world` is replaced on reset, everything else lives on."""

    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self.config = config
        self.clock = clock
        self.anchor = clock.today()  # seeded dates are offsets from the start day
        self.world: World = self.seeded_world()
        self.sessions = SessionStore(COOKIE, PREFIX, config)
        self.env = Environment(
            loader=FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["bj"] = timefmt.beijing_text
        self.env.filters["bj_iso"] = timefmt.beijing_iso
        self.env.globals["prefix"] = PREFIX

    def seeded_world(self) -> World:
        return build_world(self.config.seed, self.config.listings, self.anchor)

    def now(self) -> datetime:
        return self.clock.now()

    # -- pages --------------------------------------------------------------------------------

    def page(self, handler: SessionPage) -> Callable[[Request], Awaitable[Response]]:
        """A page for logged-in sellers only (others go to the login page)."""
        return login_required(self.sessions)(handler)

    def render(
        self, template: str, *, session: Session | None, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        values: dict[str, Any] = {
            "store": self.world.store,
            "csrf_token": session.csrf_token if session else "",
            "logged_in": bool(session and session.user),
            "now": self.now(),
            "crumbs": [],
            "nav": None,
            "title": "",
        }
        values.update(context)
        body = self.env.get_template(template).render(values)
        return HTMLResponse(body, status_code=status_code, headers={"Cache-Control": "no-store"})

    def refuse(self, session: Session, status_code: int, message: str, title: str) -> HTMLResponse:
        """A page that only says why the request was refused (role=alert)."""
        return self.render(
            "refused.html", session=session, status_code=status_code, title=title, message=message
        )

    async def checked_form(self, request: Request, session: Session) -> FormData | HTMLResponse:
        """The posted form, or the 403 page when its CSRF token is missing or wrong."""
        if _content_length(request) > MAX_BODY:
            return self.refuse(session, 413, TOO_LARGE, "上传失败")
        form = await request.form(max_files=MAX_UPLOAD_FILES)
        if not self.sessions.csrf_ok(session, form.get(CSRF_FIELD)):
            return self.refuse(session, 403, CSRF_MESSAGE, "安全校验失败")
        return form


def _content_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length") or 0)
    except ValueError:
        return 0


def paginate(request: Request, items: Sequence[T], per_page: int = PER_PAGE) -> Pagination:
    """Slice `items` by `?page=` (1-based, clamped) and build the 上一页 / 下一页 links."""
    try:
        page = int(request.query_params.get("page", "1"))
    except ValueError:
        page = 1
    pages = max(1, math.ceil(len(items) / per_page))
    page = min(max(page, 1), pages)

    def link(number: int) -> str:
        query = dict(request.query_params)
        query["page"] = str(number)
        return f"{request.url.path}?{urlencode(query)}"

    return Pagination(
        items=items[(page - 1) * per_page : page * per_page],
        page=page,
        pages=pages,
        total=len(items),
        prev_url=link(page - 1) if page > 1 else None,
        next_url=link(page + 1) if page < pages else None,
    )
