"""Pages asked for over HTTP with the store's session: how a scan reads without a tab.

Two clients give the same small answer (`Answer`) to autofill.reading:

- `SessionHttp`: httpx with the saved session's cookies, as the browser that logged in (its
  user agent and language). No browser and no Playwright driver: a scan whose pages are all
  served ready starts neither. Cookies the site sets are kept, and `storage_state` hands them
  to the browser context opened when a page needs a tab.
- `ContextHttp`: the HTTP client of an open browser context (Playwright's APIRequestContext),
  which shares the context's cookies.

Neither follows redirects: reading follows them itself, on the store's origin only. A request
that gets no answer (refused, reset, timed out) raises HttpFailed; a page that answers with an
error status is an Answer like any other. Like Playwright's request client, SessionHttp takes
no proxy from the environment: the session's cookies go nowhere Playwright's would not.
"""

from __future__ import annotations

import http.cookiejar
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from autofill.browser import NAV_TIMEOUT_MS, browser_gone, closed

if TYPE_CHECKING:
    import httpx
    from playwright.async_api import APIRequestContext

class HttpFailed(Exception):
    """No answer from the site: the connection was refused or reset, or it timed out."""


@dataclass(frozen=True)
class Answer:
    """What a page request gave: its status and headers (names in lower case), and its HTML
    when it answered 2xx with a page (None otherwise: a redirect, an error, a file)."""

    status: int
    headers: dict[str, str]
    html: str | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class PageClient(Protocol):
    """What reading asks of an HTTP client."""

    async def get(self, url: str, *, headers: dict[str, str] | None = None) -> Answer: ...


def _is_page(status: int, content_type: str) -> bool:
    return 200 <= status < 300 and "html" in content_type


class SessionHttp:
    """The saved session (Playwright storage state) over plain HTTP."""

    def __init__(self, base_url: str, state: dict[str, Any], *, user_agent: str,
                 locale: str) -> None:
        import httpx  # noqa: PLC0415 - only a command that reads pages pays for it

        self._state = state
        self._hosts = _Hosts(base_url)
        self._client: httpx.AsyncClient = httpx.AsyncClient(
            cookies=httpx.Cookies(session_jar(state.get("cookies", []), base_url)),
            headers={"user-agent": user_agent, "accept-language": locale},
            follow_redirects=False,
            timeout=NAV_TIMEOUT_MS / 1000,
            trust_env=False,
        )

    async def get(self, url: str, *, headers: dict[str, str] | None = None) -> Answer:
        import httpx  # noqa: PLC0415

        try:
            response = await self._client.get(url, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            raise HttpFailed(f"{type(err).__name__}: {err}" if str(err)
                             else type(err).__name__) from err
        kind = response.headers.get("content-type", "")
        return Answer(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                      response.text if _is_page(response.status_code, kind) else None)

    async def storage_state(self) -> dict[str, Any]:
        """The session as it is now, in Playwright's storage-state form (for a new context)."""
        before = {(c["name"], c["domain"], c["path"]): c for c in self._state.get("cookies", [])}
        cookies = [_state_cookie(c, before, self._hosts) for c in self._client.cookies.jar]
        return {**self._state, "cookies": cookies}

    async def dispose(self) -> None:
        await self._client.aclose()


class ContextHttp:
    """An open browser context's own HTTP client (its cookies are the context's)."""

    def __init__(self, request: APIRequestContext) -> None:
        self._request = request

    async def get(self, url: str, *, headers: dict[str, str] | None = None) -> Answer:
        from playwright.async_api import Error as PlaywrightError  # noqa: PLC0415

        try:
            response = await self._request.get(url, headers=headers, max_redirects=0,
                                               fail_on_status_code=False, timeout=NAV_TIMEOUT_MS)
            try:
                kind = response.headers.get("content-type", "")
                html = await response.text() if _is_page(response.status, kind) else None
                return Answer(response.status, dict(response.headers), html)
            finally:
                await closed(response.dispose)  # the driver keeps no body it handed over
        except PlaywrightError as err:
            if browser_gone(err):
                raise
            raise HttpFailed(str(err).splitlines()[0]) from err


class _Hosts:
    """The store's host as a browser names it and as the standard library's cookie jar does:
    the jar names a host without a dot (`localhost`) `localhost.local` (RFC 2965's effective
    host name)."""

    def __init__(self, base_url: str) -> None:
        netloc = urlsplit(base_url).netloc.rpartition("@")[2]
        self.browser = re.sub(r":\d+$", "", netloc).lower()
        self.jar = self.browser if "." in self.browser else self.browser + ".local"

    def to_jar(self, domain: str) -> str:
        return self.jar if domain == self.browser else domain

    def to_browser(self, domain: str) -> str:
        return self.browser if domain == self.jar else domain


def session_jar(cookies: list[dict[str, Any]], base_url: str) -> http.cookiejar.CookieJar:
    """A cookie jar holding storage-state cookies with their scope, for the store at `base_url`:
    a domain with a leading dot covers its subdomains, one without is its host's only; secure
    ones go over https only."""
    hosts = _Hosts(base_url)
    # the default policy sends a cookie set without a Domain to subdomains too; browsers do not
    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(
        strict_ns_domain=http.cookiejar.DefaultCookiePolicy.DomainStrictNonDomain))
    for c in cookies:
        domain = hosts.to_jar(str(c.get("domain", "")))
        expires = c.get("expires", -1)
        rest = {"HttpOnly": ""} if c.get("httpOnly") else {}
        if c.get("sameSite"):
            rest["SameSite"] = str(c["sameSite"])
        jar.set_cookie(http.cookiejar.Cookie(
            version=0, name=str(c["name"]), value=str(c["value"]), port=None,
            port_specified=False, domain=domain, domain_specified=domain.startswith("."),
            domain_initial_dot=domain.startswith("."), path=str(c.get("path", "/")),
            path_specified=True, secure=bool(c.get("secure")),
            expires=int(expires) if isinstance(expires, (int, float)) and expires > 0 else None,
            discard=not (isinstance(expires, (int, float)) and expires > 0), comment=None,
            comment_url=None, rest=rest))
    return jar


def _state_cookie(cookie: http.cookiejar.Cookie, before: dict[tuple[str, str, str], dict[str, Any]],
                  hosts: _Hosts) -> dict[str, Any]:
    """A jar's cookie in storage-state form; what the jar does not keep (HttpOnly, SameSite)
    comes from the saved cookie it replaced, or from the attributes the site set."""
    domain = hosts.to_browser(cookie.domain)
    known = before.get((cookie.name, domain, cookie.path), {})
    same_site = _attribute(cookie, "SameSite") or known.get("sameSite") or "Lax"
    return {
        "name": cookie.name,
        "value": cookie.value or "",
        "domain": domain,
        "path": cookie.path,
        "expires": float(cookie.expires) if cookie.expires is not None else -1,
        "httpOnly": _attribute(cookie, "HttpOnly") is not None or bool(known.get("httpOnly")),
        "secure": bool(cookie.secure),
        "sameSite": str(same_site).capitalize() if str(same_site).lower() in
        ("strict", "lax", "none") else "Lax",
    }


def _attribute(cookie: http.cookiejar.Cookie, name: str) -> str | None:
    """An attribute the jar keeps as the site spelled it (`HTTPOnly`, `samesite`...): its value,
    "" when it has none, None when the cookie does not have it."""
    rest: dict[str, str | None] = getattr(cookie, "_rest", {})  # the jar's only record of them
    for key, value in rest.items():
        if key.lower() == name.lower():
            return value or ""
    return None
