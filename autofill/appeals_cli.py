"""`autofill appeals`: read Support > Appeals, update the store, say what needs action now."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from rich.table import Table

from autofill.browsing import StoreSite, on_demand, site_for, store_access
from autofill.context import AppContext
from autofill.flowkit import AppealsJob
from autofill.models import Appeal
from autofill.render import plain
from autofill.scanning import StoreSink


async def _read(ctx: AppContext, site: StoreSite) -> StoreSink:
    store = ctx.store
    scan_id = store.begin_scan(site.name, site.config.platform)
    sink = StoreSink(store, scan_id, site.name)
    try:
        async with on_demand(ctx.browser) as browsers, \
                store_access(browsers, site, ctx.browser) as access:
            job = AppealsJob(site.name, site.base_url, access.context,
                             site.platform.is_login_page,
                             concurrency=ctx.config.scan.concurrency, sink=sink, keep_tabs=True,
                             read_by="request", request=access.request,
                             open_context=access.open_context)
            try:
                await site.platform.read_appeals(job)
            finally:
                await job.close_tabs()
    finally:
        sink.flush()
        store.finish_scan(scan_id, site.name, complete=False, partial=True, errors=sink.errors)
    return sink


def appeals_command(ctx: AppContext) -> None:
    stores = [ctx.store_config()] if ctx.store_name else ctx.config.stores
    rows: list[tuple[str, Appeal]] = []
    for config in stores:
        site = site_for(config)
        asyncio.run(_read(ctx, site))
        rows += [(site.name, a) for a in ctx.store.appeals(site.name)]
    now = datetime.now(timezone.utc)
    if ctx.json:
        ctx.print_json([{"store": s, **a.model_dump(mode="json")} for s, a in rows])
        return
    table = Table(title=ctx.t("Appeals", "申诉"), title_justify="left")
    for col in ("Store", "Appeal", "Notice", "Status", "Respond by", "Action now"):
        table.add_column(col)
    order = {"info_requested": 0, "rejected": 1, "submitted": 2, "under_review": 3}
    for store, appeal in sorted(rows, key=lambda r: (order.get(r[1].status, 9),
                                                     r[1].info_request_deadline or now)):
        action = _action(ctx, appeal, now)
        table.add_row(plain(store), plain(appeal.appeal_id), plain(appeal.notice_id),
                      plain(appeal.status_label or appeal.status),
                      plain(appeal.info_request_deadline.strftime("%Y-%m-%d %H:%M")
                            if appeal.info_request_deadline else "—"),
                      plain(action), style="bold red" if action.startswith("!") else None)
    ctx.console.print(table)


def _action(ctx: AppContext, appeal: Appeal, now: datetime) -> str:
    case = ctx.workspace.case_dir(appeal.notice_id)
    if appeal.status == "info_requested":
        left = (appeal.info_request_deadline - now) if appeal.info_request_deadline else None
        urgent = "!" if left is not None and left < timedelta(days=2) else ""
        return (f"{urgent}send more information: add evidence to {case.name}/ and run "
                f"`autofill prefill cases/{case.name}`")
    if appeal.status == "rejected":
        code = f" ({appeal.rejection_code})" if appeal.rejection_code else ""
        return f"rejected{code}: read the reason before any new appeal"
    return ""
