"""`autofill prefill CASE`: check, fill the official form, hand the final click to the human, and
record what that click actually sent. No code path here clicks submit or posts the form."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autofill import ledger
from autofill.artifacts import scrub_trace, session_secrets
from autofill.browser import BrowserOptions
from autofill.browsing import StoreSite, launched, site_for, store_context
from autofill.context import AppContext
from autofill.errors import BadInput, NotSubmitted, ProblemsFound
from autofill.flowkit import FilledForm, PrefillJob
from autofill.models import OPEN_APPEAL_STATUSES, Appeal
from autofill.submission import Sent, parse_body
from autofill.watch import sent_from, watch

if TYPE_CHECKING:
    from playwright.async_api import Request
    from rich.console import Console

HIGHLIGHT = """(b) => { b.scrollIntoView({block: "center"});
  b.style.outline = "4px solid #f59e0b"; b.style.outlineOffset = "4px";
  b.setAttribute("title", "autofill: review the form, then click here yourself"); }"""


def _notice(p: Plan) -> str | None:
    return getattr(p.case, "notice_id", None)


class Reports:
    """The watcher's reports of submitted forms, awaited without polling."""

    def __init__(self) -> None:
        self._items: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()

    def add(self, report: dict[str, Any]) -> None:
        self._items.append(report)
        self._arrived.set()

    async def next(self, timeout: float) -> dict[str, Any] | None:
        if not self._items:
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except asyncio.TimeoutError:
                return None
        self._arrived.clear()
        latest = self._items[-1]
        self._items.clear()
        return latest


@dataclass
class Plan:
    case_dir: Path
    case: Any
    site: StoreSite
    mode: str  # appeal | supplement
    appeal_id: str | None
    deadline: str | None
    files: list[Path]
    listing_url: str | None


def plan(ctx: AppContext, case_arg: Path) -> Plan:
    """Everything decided before a browser opens: the case is valid, checked, not a duplicate."""
    from autofill.bundle import load_case  # noqa: PLC0415
    from autofill.checking import check_case, render  # noqa: PLC0415

    case_dir = ctx.case_dir(case_arg)
    case = load_case(case_dir)
    site = site_for(ctx.config.store(case.store))
    asking: list[Appeal] = []
    if case.kind == "report":
        mode = "report"  # a report of another seller: no notice, no appeal to duplicate
    else:
        appeals = ctx.store.appeals_for_notice(site.name, case.notice_id)
        asking = [a for a in appeals if a.status == "info_requested"]
        pending = [a for a in appeals if a.status in OPEN_APPEAL_STATUSES]
        mode = "supplement" if asking else "appeal"
        if mode == "appeal" and pending:
            first = pending[0]
            raise ProblemsFound(
                f"Notice {case.notice_id} already has appeal {first.appeal_id} "
                f"({first.status_label or first.status}). A second appeal is flagged as a "
                "duplicate and lowers the priority of both; prefill refuses it.",
                "Wait for the decision (`autofill appeals`), or answer its request for more "
                "information when one comes.",
            )
    report = check_case(ctx.workspace, case_dir, ctx.lang, mode=mode)  # type: ignore[arg-type]
    render(report, ctx.console, ctx.lang)
    if not report.ok:
        errors = sum(1 for f in report.findings if f.severity == "error")
        raise ProblemsFound(
            f"prefill refused: the check found {errors} error(s) in {case_dir.name}.",
            f"Fix them (see above), then run `autofill check {case_arg}` and prefill again.",
        )
    first_listing = None
    if case.kind != "report":
        listings = {x.listing_id: x for x in ctx.store.listings(site.name, open_only=False)}
        first_listing = listings.get(case.listing_ids[0])
    return Plan(
        case_dir, case, site, mode,
        asking[0].appeal_id if asking else None,
        asking[0].info_request_deadline.isoformat() if asking and asking[0].info_request_deadline
        else None,
        list(case.evidence_paths()), first_listing.url if first_listing else None,
    )


def prefill_command(ctx: AppContext, case_arg: Path, *, timeout: int,
                    stop_when_ready: bool = False) -> None:
    if timeout < 10:
        raise BadInput(f"--timeout {timeout}: give yourself at least 10 seconds.")
    p = plan(ctx, case_arg)
    headless = ctx.browser.headless if getattr(ctx, "headless_given", False) else False
    options = BrowserOptions(headless=headless, browser_path=ctx.browser.browser_path,
                             endpoint=ctx.browser.endpoint)
    if p.mode == "supplement":
        ctx.console.print(ctx.t(
            f"Appeal {p.appeal_id} asks for more information (answer by {p.deadline}): "
            "filling its additional-information form instead of a new appeal.",
            f"申诉 {p.appeal_id} 要求补充材料(截止 {p.deadline}):将填写补充材料表单,而不是新申诉。",
        ), markup=False)
    try:
        entry = asyncio.run(_prefill(ctx, p, options, timeout, stop_when_ready))
    except KeyboardInterrupt:
        ledger.append(p.case_dir, "aborted", notice_id=_notice(p), reason="Ctrl+C")
        raise NotSubmitted("Aborted with Ctrl+C: nothing was submitted.") from None
    if entry.get("event") == "stopped_when_ready":
        ctx.console.print(ctx.t(
            "Demo: stopping here, before Submit. With a real store you would now review the "
            "form and click Submit yourself; autofill would record what your click sent.",
            "演示到此为止,没有提交。使用真实店铺时,你会检查表单并亲自点击提交;"
            "autofill 会记录实际提交的内容。"))
        return
    ctx.console.print(ctx.t(
        f"Submitted by you: {'report' if p.mode == 'report' else 'appeal'} {entry['appeal_id']}. "
        f"Recorded in "
        f"{ledger.ledger_path(p.case_dir)} with the trace and screenshots in {entry['artifacts']}.",
        f"你已提交:申诉 {entry['appeal_id']}。记录在 {ledger.ledger_path(p.case_dir)},"
        f"跟踪与截图在 {entry['artifacts']}。",
    ), markup=False)


async def _prefill(ctx: AppContext, p: Plan, options: BrowserOptions,
                   timeout: int, stop_when_ready: bool = False) -> dict[str, Any]:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    artifacts = p.case_dir / "artifacts" / stamp
    artifacts.mkdir(parents=True, exist_ok=True)
    ledger.append(p.case_dir, "prefill_started", notice_id=_notice(p), mode=p.mode,
                  store=p.site.name, artifacts=str(artifacts.relative_to(p.case_dir)))
    async with launched(options) as browser, \
            store_context(browser, p.site, options) as context:
        await context.tracing.start(screenshots=True, snapshots=True)
        try:
            job = PrefillJob(
                store=p.site.name, base_url=p.site.base_url, context=context,
                is_login_page=p.site.platform.is_login_page, case_dir=p.case_dir, case=p.case,
                files=p.files, mode=p.mode, appeal_id=p.appeal_id, listing_url=p.listing_url,
            )
            started = asyncio.get_running_loop().time()
            job.page = await context.new_page()
            reports = Reports()
            await watch(job.page, reports.add)
            filled: FilledForm = await p.site.platform.prefill(job)
            assert filled.page is job.page, "flows fill the tab the core prepared (job.page)"
            await filled.submit.evaluate(HIGHLIGHT)
            await filled.page.screenshot(path=str(artifacts / "before-submit.png"), full_page=True)
            ready_in = asyncio.get_running_loop().time() - started
            ledger.append(p.case_dir, "filled", notice_id=_notice(p), mode=p.mode,
                          statement=p.case.statement, files=_hashes(p.files),
                          seconds_to_ready=round(ready_in, 2))
            _announce(ctx, p, artifacts, filled, ready_in, timeout)
            if stop_when_ready:
                return ledger.append(p.case_dir, "stopped_when_ready",
                                     notice_id=_notice(p))
            return await _wait_for_human(ctx, p, filled, artifacts, timeout, reports)
        finally:
            trace = artifacts / "trace.zip"
            try:
                await context.tracing.stop(path=str(trace))
                scrub_trace(trace, session_secrets(await context.cookies()))
            except Exception:  # noqa: BLE001 - the browser may be gone; the trace is a bonus
                pass


def _announce(ctx: AppContext, p: Plan, artifacts: Path, filled: FilledForm, ready_in: float,
              timeout: int) -> None:
    console: Console = ctx.console
    console.print(ctx.t(
        f"Ready for your click ({ready_in:.1f} s). The form is filled and checked; the submit "
        "button is highlighted in the browser window.\n"
        f"Screenshot: {artifacts / 'before-submit.png'}\n"
        "Review everything, then click the button yourself. autofill never submits.",
        f"已就绪,等待你点击({ready_in:.1f} 秒)。表单已填写并核对;提交按钮已在浏览器中高亮。\n"
        f"截图:{artifacts / 'before-submit.png'}\n"
        "请检查全部内容后亲自点击提交。autofill 绝不代为提交。",
    ), markup=False)
    if filled.deadline:
        console.print(ctx.t(f"Answer by: {filled.deadline}", f"截止:{filled.deadline}"),
                      markup=False)


async def _wait_for_human(ctx: AppContext, p: Plan, filled: FilledForm, artifacts: Path,
                          timeout: int, reports: Reports) -> dict[str, Any]:
    page = filled.page
    local = {(f["name"], f["size"]): f["sha256"] for f in _hashes(p.files)}
    loop = asyncio.get_running_loop()
    submitted: asyncio.Queue[Sent] = asyncio.Queue()
    closed = asyncio.Event()

    def on_request(request: Request) -> None:
        action = filled.action_url.split("?")[0]
        if request.method == "POST" and request.url.split("?")[0] == action:
            submitted.put_nowait(parse_body(request.headers.get("content-type", ""),
                                            request.post_data_buffer or b""))

    page.on("request", on_request)
    page.on("close", lambda _: closed.set())
    page.context.on("close", lambda _: closed.set())
    if page.context.browser is not None:
        page.context.browser.on("disconnected", lambda _: closed.set())
    deadline = loop.time() + timeout
    with ctx.console.status("") as status:
        while True:
            left = deadline - loop.time()
            if left <= 0:
                ledger.append(p.case_dir, "timed_out", notice_id=_notice(p))
                raise NotSubmitted(
                    f"No submission within {timeout // 60} min {timeout % 60} s: nothing was sent.",
                    f"Run `autofill prefill {p.case_dir.name}` again when you are ready "
                    "(--timeout SECONDS gives more time).",
                )
            if closed.is_set():
                ledger.append(p.case_dir, "browser_closed", notice_id=_notice(p))
                raise NotSubmitted("The browser window was closed before Submit: nothing was sent.",
                                   f"Run `autofill prefill {p.case_dir.name}` again.")
            status.update(ctx.t(
                f"Waiting for your click on Submit: {int(left) // 60:02d}:{int(left) % 60:02d} "
                "left (Ctrl+C aborts)",
                f"等待你点击提交:剩余 {int(left) // 60:02d}:{int(left) % 60:02d}(Ctrl+C 取消)"))
            try:
                body = await asyncio.wait_for(submitted.get(), timeout=min(1.0, left))
            except asyncio.TimeoutError:
                continue
            sent = await _what_was_sent(body, reports, local)
            appeal_id, errors = await filled.read_outcome(page)
            if appeal_id:
                await page.screenshot(path=str(artifacts / "after-submit.png"), full_page=True)
                _note_in_store(ctx, p, appeal_id)
                return ledger.append(
                    p.case_dir, "submitted", notice_id=_notice(p), kind=p.mode,
                    appeal_id=appeal_id, store=p.site.name,
                    statement=sent.fields.get(filled.statement_field, ""),
                    files=[f.as_dict() for f in sent.files],
                    edited_by_human=sent.fields.get(filled.statement_field, "").strip()
                    != p.case.statement.strip(),
                    artifacts=str(artifacts.relative_to(p.case_dir)),
                )
            ledger.append(p.case_dir, "site_rejected", notice_id=_notice(p), errors=errors)
            ctx.console.print(ctx.t(
                "The site did not accept the submission:", "网站未接受此次提交:"), style="red")
            for line in errors:
                ctx.console.print(f"  {line}", markup=False, style="red")
            ctx.console.print(ctx.t("Fix it in the browser and click Submit again, or close "
                                    "the window to stop.",
                                    "请在浏览器中修改后再次提交,或关闭窗口结束。"))


def _note_in_store(ctx: AppContext, p: Plan, appeal_id: str) -> None:
    """The store learns of the submission at once, so a second prefill is refused even before
    the next scan."""
    if p.mode == "report":
        return  # a report is not an appeal of ours: the ledger keeps it
    now = datetime.now(timezone.utc)
    known = {a.appeal_id: a for a in ctx.store.appeals_for_notice(p.site.name, p.case.notice_id)}
    if p.mode == "supplement" and appeal_id in known:
        before = known[appeal_id]
        appeal = before.model_copy(update={"status": "under_review", "status_label": "",
                                           "info_request_deadline": None,
                                           "supplements_used": before.supplements_used + 1})
    else:
        appeal = Appeal(appeal_id=appeal_id, notice_id=p.case.notice_id,
                        listing_id=p.case.listing_ids[0], status="submitted", submitted_at=now)
    ctx.store.note_appeal(p.site.name, appeal)


async def _what_was_sent(body: Sent, reports: Reports,
                         local: dict[tuple[str, int], str]) -> Sent:
    """The request's own body where the browser exposes it (file bytes it does not), completed
    by the watcher's report of the form at the click (it may arrive just after the request)."""
    report = await reports.next(timeout=5.0)
    seen = sent_from(report, local) if report else Sent()
    if body.files and all(f.size for f in body.files):
        seen.files = body.files
    seen.fields = {**seen.fields, **body.fields}
    return seen


def _hashes(files: list[Path]) -> list[dict[str, object]]:
    out = []
    for path in files:
        data = path.read_bytes()
        out.append({"name": path.name, "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest()})
    return out
