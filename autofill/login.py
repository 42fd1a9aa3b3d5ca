"""`autofill login`: the human logs in, in a real browser; autofill keeps only the session."""

from __future__ import annotations

import asyncio

from autofill import session
from autofill.browser import BrowserOptions
from autofill.browsing import StoreSite, is_local_sandbox, launched, site_for
from autofill.context import AppContext
from autofill.errors import BadInput, LoginNeeded
from autofill.flowkit import close_tab


def login(ctx: AppContext, *, demo: bool, timeout: int) -> None:
    site = site_for(ctx.store_config())
    session.ensure_outside(ctx.workspace.root)
    if demo and not is_local_sandbox(site.base_url):
        raise BadInput(
            f"--demo types the sandbox's demo credentials, and {site.base_url} is not a sandbox "
            "on this machine.",
            f"Log in yourself: autofill login --store {site.name}",
        )
    # A human needs a window; the demo login can stay hidden unless asked otherwise.
    headless = ctx.browser.headless if (demo or _asked(ctx)) else False
    options = BrowserOptions(
        headless=headless, browser_path=ctx.browser.browser_path, endpoint=ctx.browser.endpoint
    )
    if not demo:
        ctx.console.print(
            ctx.t(
                f"A browser window opens on {site.base_url}. Log in as you always do; autofill "
                f"waits up to {timeout} s and keeps only the session, never your password.",
                f"浏览器将打开 {site.base_url}。请像平时一样登录;autofill 最多等待 {timeout} 秒,"
                "只保存会话,绝不保存密码。",
            )
        )
    path = asyncio.run(_login(site, options, demo=demo, timeout=timeout))
    ctx.console.print(
        ctx.t(
            f"Logged in. Session for store '{site.name}' saved to {path} (readable by you only).",
            f"登录成功。店铺 '{site.name}' 的会话已保存到 {path}(仅你可读)。",
        )
    )


def _asked(ctx: AppContext) -> bool:
    return bool(getattr(ctx, "headless_given", False))


async def _login(site: StoreSite, options: BrowserOptions, *, demo: bool, timeout: int) -> str:
    from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415

    async with launched(options) as browser:
        own_chrome = bool(options.endpoint and options.endpoint.startswith("http"))
        # in the seller's own Chrome (DevTools endpoint) the login happens in their profile
        context = browser.contexts[0] if own_chrome and browser.contexts else \
            await browser.new_context(accept_downloads=False)
        page = await context.new_page()
        await page.goto(site.platform.login_url(site.base_url), wait_until="domcontentloaded")
        if demo:
            await site.platform.demo_login(page, site.base_url)
        try:
            await site.platform.logged_in_marker(page).wait_for(
                state="visible", timeout=timeout * 1000
            )
        except PlaywrightTimeout as err:
            raise LoginNeeded(site.name, f"no login was seen within {timeout} s") from err
        state = await context.storage_state()
        agent = await page.evaluate("navigator.userAgent")
        if own_chrome:
            await close_tab(page)
        else:
            await context.close()
    return str(session.save(site.name, dict(state), user_agent=agent))
