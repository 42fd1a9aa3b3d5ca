"""`autofill doctor`: is everything in place? Browser, stores, sessions, and (with --store) whether
the Seller Center's pages still match what the flows expect."""

from __future__ import annotations

import asyncio
import platform as py_platform
import sys

from rich.table import Table

from autofill import __version__, session
from autofill.browser import BrowserNotFound, describe, find_browser
from autofill.browsing import StoreSite, launched, site_for, store_context
from autofill.context import AppContext
from autofill.errors import AutofillError, LoginNeeded, ProblemsFound
from autofill.flowkit import DoctorJob
from autofill.render import plain


def doctor(ctx: AppContext) -> None:
    problems = 0
    say = ctx.console.print
    say(plain(f"autofill {__version__}, Python {sys.version.split()[0]} on "
              f"{py_platform.system()} {py_platform.machine()}"))
    try:
        choice = find_browser(ctx.browser.browser_path)
        if ctx.browser.endpoint:
            say(plain(f"Browser: attaching to {ctx.browser.endpoint}"))
        else:
            say(plain(f"Browser: {describe(choice)}"))
    except BrowserNotFound as err:
        problems += 1
        say(plain(f"Browser: none found. {err}"), style="red")
    if not ctx.workspace.exists():
        say(plain(f"Workspace: none at {ctx.workspace.root} (create one: autofill init FOLDER)"))
    else:
        say(plain(f"Workspace: {ctx.workspace.root}"))
        stores = ctx.config.stores
        if ctx.store_name:
            stores = [ctx.store_config()]
        if not stores:
            say(plain("Stores: none yet. Add a [[stores]] entry to autofill.toml."))
        if stores and problems == 0:
            problems += asyncio.run(_check_stores(ctx, [site_for(s) for s in stores]))
    if problems:
        raise ProblemsFound(f"doctor found {problems} problem(s); see above.")
    say(ctx.t("Everything looks ready.", "一切就绪。"))


async def _check_stores(ctx: AppContext, sites: list[StoreSite]) -> int:
    problems = 0
    say = ctx.console.print
    async with launched(ctx.browser) as browser:
        for site in sites:
            label = f"Store '{site.name}' ({site.config.platform}, {site.base_url})"
            if not session.exists(site.name) and not ctx.browser.endpoint:
                problems += 1
                say(plain(f"{label}: no saved session. Run: autofill login --store {site.name}"),
                    style="yellow")
                continue
            try:
                async with store_context(browser, site, ctx.browser, lean=True) as context:
                    job = DoctorJob(site.name, site.base_url, context,
                                    site.platform.is_login_page)
                    page = await job.tab()
                    await job.open(page, job.url("/"), page_name="Home", step="session check")
                    await job.release(page)
                    say(plain(f"{label}: session saved and valid"))
                    if ctx.store_name:
                        problems += _report_drift(ctx, site, await site.platform.doctor(job))
            except LoginNeeded as err:
                problems += 1
                say(plain(f"{label}: the saved session has expired. {err.hint}"), style="yellow")
            except AutofillError as err:
                problems += 1
                say(plain(f"{label}: {err}"), style="red")
    return problems


def _report_drift(ctx: AppContext, site: StoreSite, rows: list[tuple[str, str, bool, str]]) -> int:
    table = Table(title=f"{site.name}: page elements the flows rely on", title_justify="left")
    for col in ("Page", "Element", "Found", "Detail"):
        table.add_column(col)
    for page, element, ok, detail in rows:
        table.add_row(plain(page), plain(element), plain("yes" if ok else "NO"), plain(detail),
                      style=None if ok else "red")
    ctx.console.print(table)
    missing = sum(1 for row in rows if not row[2])
    if missing:
        ctx.console.print(plain(
            f"{missing} element(s) no longer match: the Seller Center changed. autofill will stop "
            "at these pages rather than guess; update flows/{site.config.platform} or report it."
        ), style="red")
    return missing
