"""`autofill scan`: drive the store's flow, stream what it reads into the local store, report.

The flow yields records; this module decides how they are kept (batched transactions), how
progress is shown, and what an interruption means. It knows no site.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timezone

from autofill.browser import BrowserOptions, playwright_error
from autofill.browsing import OnDemand, StoreSite, on_demand, site_for, store_access
from autofill.context import AppContext
from autofill.errors import AutofillError, ExitStatus, ProblemsFound
from autofill.flowkit import Progress, ScanJob
from autofill.logs import get_logger
from autofill.models import Account, Appeal, Listing, Notice, ScanError, ScanResult
from autofill.store import ScanDiff, Store, StoreError

BATCH = 100
log = get_logger(__name__)


class StoreSink:
    """Writes records to the store in batches: each batch one transaction, kept on a crash."""

    def __init__(self, store: Store, scan_id: int, store_name: str) -> None:
        self.store, self.scan_id, self.name = store, scan_id, store_name
        self._listings: list[Listing] = []
        self._notices: list[Notice] = []
        self._appeals: list[Appeal] = []
        self.errors: list[ScanError] = []
        self.notes: list[str] = []
        self.counts = {"listings": 0, "notices": 0, "appeals": 0}

    def listing(self, item: Listing) -> None:
        self._listings.append(item)
        self.counts["listings"] += 1
        if len(self._listings) >= BATCH:
            self.flush()

    def notice(self, item: Notice) -> None:
        self._notices.append(item)
        self.counts["notices"] += 1
        if len(self._notices) >= BATCH:
            self.flush()

    def appeal(self, item: Appeal) -> None:
        self._appeals.append(item)
        self.counts["appeals"] += 1
        if len(self._appeals) >= BATCH:
            self.flush()

    def account(self, item: Account) -> None:
        self.store.save_account(self.scan_id, self.name, item)

    def error(self, page: str, step: str, message: str) -> None:
        self.errors.append(ScanError(page=page, step=step, message=message))
        log.warning("scan page failed", store=self.name, page=page, step=step, error=message)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def flush(self) -> None:
        if self._listings:
            self.store.save_listings(self.scan_id, self.name, self._listings)
            self._listings = []
        if self._notices:
            self.store.save_notices(self.scan_id, self.name, self._notices)
            self._notices = []
        if self._appeals:
            self.store.save_appeals(self.scan_id, self.name, self._appeals)
            self._appeals = []


@dataclass
class ScanOutcome:
    result: ScanResult
    diff: ScanDiff
    notes: list[str] = field(default_factory=list)


async def scan_site(
    store: Store,
    site: StoreSite,
    options: BrowserOptions,
    *,
    concurrency: int,
    progress: Progress,
    browsers: OnDemand | None = None,
) -> ScanOutcome:
    """Scan one store; whatever happens, what was read is committed and the scan closed.

    `browsers`: the command's browser, shared with other stores (None: this scan's own)."""
    started = datetime.now(timezone.utc)
    scan_id = store.begin_scan(site.name, site.config.platform)
    sink = StoreSink(store, scan_id, site.name)
    failure: BaseException | None = None
    try:
        if browsers is None:
            async with on_demand(options) as own:
                await _run(own, site, options, sink, concurrency, progress)
        else:
            await _run(browsers, site, options, sink, concurrency, progress)
    except BaseException as err:
        failure = err
        raise
    finally:
        # Keep what was read, whatever stopped the scan; a second store failure (the disk is
        # still full) must not hide the first one.
        try:
            sink.flush()
            diff = store.finish_scan(scan_id, site.name,
                                     complete=failure is None and not sink.errors,
                                     errors=sink.errors)
        except StoreError:
            if failure is None:
                raise
    return ScanOutcome(_result(store, site, scan_id, started, sink.errors), diff, sink.notes)


async def _run(browsers: OnDemand, site: StoreSite, options: BrowserOptions, sink: StoreSink,
               concurrency: int, progress: Progress) -> None:
    """The flow's scan. Pages are read over HTTP with the session where the site serves them
    ready: the browser starts only when a page has to be opened in a tab."""
    async with store_access(browsers, site, options) as access:
        job = ScanJob(
            store=site.name,
            base_url=site.base_url,
            is_login_page=site.platform.is_login_page,
            concurrency=concurrency,
            progress=progress,
            sink=sink,
            keep_tabs=True,
            read_by="request",
            context=access.context,
            request=access.request,
            open_context=access.open_context,
        )
        try:
            await site.platform.scan(job)
        except playwright_error() as err:
            raise Interrupted(
                f"Store '{site.name}': the browser stopped during the scan "
                f"({str(err).splitlines()[0]}).",
                sink,
            ) from err
        finally:
            try:
                await job.close_tabs()
            except playwright_error():
                pass  # the browser is gone: its tabs are too


class Interrupted(AutofillError):
    exit_status = ExitStatus.PROBLEMS_FOUND

    def __init__(self, what: str, sink: StoreSink) -> None:
        c = sink.counts
        super().__init__(
            f"{what} What was read is saved: {c['listings']} listings, {c['notices']} notices, "
            f"{c['appeals']} appeals.",
            "Run `autofill scan` again: it continues without losing or duplicating anything.",
        )


def _result(store: Store, site: StoreSite, scan_id: int, started: datetime,
            errors: list[ScanError]) -> ScanResult:
    seen = store.seen_in_scan(site.name, scan_id)
    return ScanResult(
        store=site.name,
        platform=site.config.platform,
        scanned_at=started,
        listings=seen["listings"],  # type: ignore[arg-type]
        notices=seen["notices"],  # type: ignore[arg-type]
        appeals=seen["appeals"],  # type: ignore[arg-type]
        errors=errors,
        account=store.account(site.name),
    )


def scan_command(ctx: AppContext, *, all_stores: bool, concurrency: int | None) -> None:
    from autofill.render import ProgressBar, render_diff, render_scan  # noqa: PLC0415

    config = ctx.config
    sites = [site_for(s) for s in config.stores] if all_stores else [site_for(ctx.store_config())]
    limit = concurrency or config.scan.concurrency
    if not 1 <= limit <= 8:
        from autofill.errors import BadInput  # noqa: PLC0415

        raise BadInput(f"--concurrency {limit}: expected 1 to 8 pages at once.")
    scanned: dict[str, ScanOutcome] = {}
    failed: dict[str, tuple[AutofillError, datetime]] = {}
    with ProgressBar(ctx.console, enabled=not ctx.json) as bars:

        async def one(site: StoreSite, gate: asyncio.Semaphore, browsers: OnDemand | None) -> None:
            async with gate:
                started = datetime.now(timezone.utc)
                try:
                    scanned[site.name] = await scan_site(
                        ctx.store, site, ctx.browser, concurrency=limit,
                        progress=bars.task(site.name), browsers=browsers,
                    )
                except AutofillError as err:
                    if not all_stores:
                        raise
                    failed[site.name] = (err, started)

        async def everything() -> None:
            if not all_stores:
                await one(sites[0], asyncio.Semaphore(1), None)
                return
            # every store with its own session (its own context when it needs a tab) in one
            # browser, a few at once
            gate = asyncio.Semaphore(config.scan.stores_at_once)
            async with on_demand(ctx.browser) as browsers:
                await asyncio.gather(*(one(site, gate, browsers) for site in sites))

        try:
            asyncio.run(everything())
        except KeyboardInterrupt:
            raise ProblemsFound(
                "Scan interrupted. Everything read so far is saved.",
                "Run `autofill scan` again: it continues without losing or duplicating anything.",
            ) from None
    outcomes = [scanned[s.name] for s in sites if s.name in scanned]
    if ctx.json:
        # --all: one contract object per store, in autofill.toml's order; a store that could
        # not be scanned says why in its errors
        data = [scanned[s.name].result.contract() if s.name in scanned
                else _not_scanned(s, *failed[s.name]).contract() for s in sites]
        ctx.print_json(data if all_stores else data[0])
    else:
        for outcome in outcomes:
            render_scan(ctx, outcome.result, ctx.store)
            render_diff(ctx, outcome.diff, outcome.notes)
    for site in sites:
        if site.name in failed:
            ctx.console.print(f"[bold red]{site.name}[/]: ", end="")
            ctx.console.print(str(failed[site.name][0]), markup=False)
    if failed or any(o.result.errors for o in outcomes):
        problems = sum(len(o.result.errors) for o in outcomes)
        raise ProblemsFound(
            f"The scan finished with problems: {problems} page(s) failed"
            + (f", {len(failed)} store(s) not scanned "
               f"({', '.join(s.name for s in sites if s.name in failed)})" if failed else "")
            + ". What could be read is saved.",
            "Run `autofill scan` again later to fill the gaps.",
        )


def _not_scanned(site: StoreSite, err: AutofillError, started: datetime) -> ScanResult:
    """The contract object of a store whose scan could not run: why, as its one error."""
    message = err.message + (f" {err.hint}" if err.hint else "")
    return ScanResult(store=site.name, platform=site.config.platform, scanned_at=started,
                      errors=[ScanError(page="(store)", step="scan", message=message)])
