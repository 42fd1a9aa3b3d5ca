"""Login sessions and CSRF tokens of one imitated Seller Center (each platform has its own store).

A session lives in memory, named by a random id in an HttpOnly cookie scoped to the platform's
path. A visitor gets an anonymous session on the login page (so the login form has a CSRF token
too); logging in replaces it with a new one (no session fixation). The `expire_after` fault makes
a session expire after N authenticated requests, counted from login or from when the switch last
changed, and the next request is sent to the login page as if the session had timed out.

Typical use in a platform::

    sessions = SessionStore("joom_session", "/joom", config)

    @login_required(sessions)
    async def products(request: Request, session: Session) -> Response: ...
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from autofill.sandbox.config import SandboxConfig

DEMO_EMAIL = "demo@seller.example"  # the demo account of every sandbox platform
DEMO_PASSWORD = "sandbox-demo"
CSRF_FIELD = "csrf_token"
CSRF_MESSAGE = "Invalid or missing CSRF token. Reload the page and try again."

Page = Callable[[Request], Awaitable[Response]]
SessionPage = Callable[[Request, "Session"], Awaitable[Response]]


@dataclass
class Session:
    """One browser's session; `user` is None until it logs in."""

    session_id: str
    csrf_token: str
    user: str | None = None
    requests: int = 0  # authenticated requests since `expire_basis` was last seen
    expire_basis: int | None = None
    flash: dict[str, str] = field(default_factory=dict)  # one-time messages after a redirect


class LoginRequired(Exception):
    """Raised by `SessionStore.require_login`; `response` is the redirect to the login page."""

    def __init__(self, response: Response) -> None:
        super().__init__("login required")
        self.response = response


class SessionStore:
    """Sessions of one platform: cookie `cookie_name` on `path`, login page at `login_path`."""

    def __init__(
        self,
        cookie_name: str,
        path: str,
        config: SandboxConfig,
        login_path: str | None = None,
        max_sessions: int = 10_000,
    ) -> None:
        self.cookie_name = cookie_name
        self.path = path.rstrip("/")
        self.login_path = login_path or f"{self.path}/login"
        self._config = config
        self._max = max_sessions
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    # -- lookup -------------------------------------------------------------------------------

    def current(self, request: Request) -> Session | None:
        """The request's session (anonymous or logged in), or None; counts nothing."""
        session_id = request.cookies.get(self.cookie_name, "")
        session = self._sessions.get(session_id)
        if session is not None:
            self._sessions.move_to_end(session_id)
        return session

    def ensure(self, request: Request) -> tuple[Session, bool]:
        """The request's session, or a new anonymous one; the flag says it is new (set cookie)."""
        session = self.current(request)
        if session is not None:
            return session, False
        return self._new(user=None), True

    def require_login(self, request: Request) -> Session:
        """The logged-in session, counting the request; raises LoginRequired (redirect) if none."""
        session = self.current(request)
        if session is None or session.user is None:
            raise LoginRequired(self.login_redirect(request))
        limit = self._config.expire_after
        if session.expire_basis != limit:
            session.requests, session.expire_basis = 0, limit
        session.requests += 1
        if limit is not None and session.requests > limit:
            self._sessions.pop(session.session_id, None)
            raise LoginRequired(self.login_redirect(request))
        return session

    # -- changes ------------------------------------------------------------------------------

    def log_in(self, request: Request, user: str) -> Session:
        """Replace the request's session with a new logged-in one (set its cookie on the reply)."""
        self.log_out(request)
        return self._new(user=user)

    def log_out(self, request: Request) -> None:
        """Forget the request's session, if any."""
        self._sessions.pop(request.cookies.get(self.cookie_name, ""), None)

    def clear(self) -> None:
        """Forget every session (sandbox reset)."""
        self._sessions.clear()

    # -- CSRF and cookies ---------------------------------------------------------------------

    @staticmethod
    def csrf_ok(session: Session | None, token: object) -> bool:
        """True when `token` (a submitted form value) is the session's CSRF token."""
        if session is None or not isinstance(token, str) or not token:
            return False
        return hmac.compare_digest(session.csrf_token.encode(), token.encode())

    def set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(
            self.cookie_name, session.session_id, path=self.path, httponly=True, samesite="lax"
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(self.cookie_name, path=self.path, httponly=True, samesite="lax")

    def login_redirect(self, request: Request) -> RedirectResponse:
        """303 to the login page with `next=<path?query>` of the refused request."""
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse(f"{self.login_path}?next={quote(target, safe='/')}", 303)
        self.clear_cookie(response)
        return response

    def safe_next(self, target: str | None) -> str:
        """Where to go after login: `target` if it is a page of this platform, else its home."""
        home = f"{self.path}/"
        if not target or not target.startswith(home) or target.startswith("//"):
            return home
        if "\\" in target or any(ord(c) < 32 for c in target):
            return home
        return target

    def _new(self, user: str | None) -> Session:
        session = Session(secrets.token_urlsafe(24), secrets.token_urlsafe(24), user=user)
        session.expire_basis = self._config.expire_after
        self._sessions[session.session_id] = session
        while len(self._sessions) > self._max:
            self._sessions.popitem(last=False)
        return session


def login_required(store: SessionStore) -> Callable[[SessionPage], Page]:
    """Decorate `page(request, session)`: visitors without a session go to the login page."""

    def decorate(page: SessionPage) -> Page:
        @wraps(page)
        async def endpoint(request: Request) -> Response:
            try:
                session = store.require_login(request)
            except LoginRequired as refused:
                return refused.response
            return await page(request, session)

        return endpoint

    return decorate
