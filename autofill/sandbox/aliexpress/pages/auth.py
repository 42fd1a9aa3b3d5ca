"""登录 / 退出: the demo seller account, an anonymous session for the login form's CSRF token."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from autofill.sandbox.aliexpress.site import CSRF_MESSAGE, Site
from autofill.sandbox.sessions import CSRF_FIELD, DEMO_EMAIL, DEMO_PASSWORD

WRONG_CREDENTIALS = "账号或密码错误。"


def routes(site: Site) -> list[BaseRoute]:
    async def login_page(request: Request) -> Response:
        session, new = site.sessions.ensure(request)
        next_url = site.sessions.safe_next(request.query_params.get("next"))
        response = site.render(
            "login.html",
            session=None,
            title="登录",
            error=None,
            account="",
            next_url=next_url,
            csrf_token=session.csrf_token,
        )
        if new:
            site.sessions.set_cookie(response, session)
        return response

    async def login(request: Request) -> Response:
        session = site.sessions.current(request)
        form = await request.form()
        next_url = site.sessions.safe_next(_text(form.get("next")))
        if not site.sessions.csrf_ok(session, form.get(CSRF_FIELD)):
            return site.render(
                "refused.html",
                session=None,
                status_code=403,
                title="安全校验失败",
                message=CSRF_MESSAGE,
            )
        account, password = _text(form.get("account")).strip(), _text(form.get("password"))
        if not (_same(account, DEMO_EMAIL) and _same(password, DEMO_PASSWORD)):
            assert session is not None  # csrf_ok needs one
            return site.render(
                "login.html",
                session=None,
                status_code=400,
                title="登录",
                error=WRONG_CREDENTIALS,
                account=account,
                next_url=next_url,
                csrf_token=session.csrf_token,
            )
        fresh = site.sessions.log_in(request, account)
        response = RedirectResponse(next_url, status_code=303)
        site.sessions.set_cookie(response, fresh)
        return response

    async def logout(request: Request) -> Response:
        site.sessions.log_out(request)
        response = RedirectResponse(site.sessions.login_path, status_code=303)
        site.sessions.clear_cookie(response)
        return response

    return [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["GET"]),
    ]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
