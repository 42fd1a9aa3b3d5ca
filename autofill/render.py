"""Human output on stderr: progress bars and tables. Scraped text is always rendered as plain
text (rich `Text`), never as markup."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from autofill.context import AppContext
from autofill.deadlines import Deadline
from autofill.models import Notice, ScanResult
from autofill.store import ScanDiff, Store

# Terminal control characters (ESC sequences can recolour, retitle or clear the terminal) in
# scraped text are shown as U+FFFD; line breaks and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(value: object) -> Text:
    """Text shown as it is: never read as rich markup, and unable to drive the terminal."""
    return Text("" if value is None else _CONTROL.sub("\ufffd", str(value)))


class _Task:
    def __init__(self, progress: Progress | None, task: TaskID | None, name: str) -> None:
        self.progress, self.id, self.name = progress, task, name

    def add_total(self, n: int) -> None:
        if self.progress is not None and self.id is not None:
            total = self.progress.tasks[self._index()].total or 0
            self.progress.update(self.id, total=total + n)

    def advance(self, n: int = 1) -> None:
        if self.progress is not None and self.id is not None:
            self.progress.advance(self.id, n)

    def describe(self, text: str) -> None:
        if self.progress is not None and self.id is not None:
            self.progress.update(self.id, description=f"{self.name}: {text}")

    def _index(self) -> int:
        assert self.progress is not None
        return [t.id for t in self.progress.tasks].index(self.id)  # type: ignore[arg-type]


class ProgressBar:
    """One bar per store on stderr (transient); silent when output is JSON."""

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            console=console, transient=True,
        ) if enabled else None

    def __enter__(self) -> ProgressBar:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.progress is not None:
            self.progress.stop()

    def task(self, name: str) -> _Task:
        if self.progress is None:
            return _Task(None, None, name)
        return _Task(self.progress, self.progress.add_task(f"{name}: starting", total=0), name)


def _in(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 0:
        return f"overdue {(-hours) / 24:.1f} d" if -hours >= 24 else f"overdue {-hours:.0f} h"
    return f"{hours / 24:.1f} d" if hours >= 24 else f"{hours:.0f} h"


def render_scan(ctx: AppContext, result: ScanResult, store: Store) -> None:
    """Notices sorted by urgency (nearest deadline first): violation, listings, days removed,
    and the estimated loss where the site shows sales (days removed x daily GMV)."""
    now = datetime.now(timezone.utc)
    by_id = {x.listing_id: x for x in result.listings}
    appeals = {a.notice_id: a for a in result.appeals}
    far = datetime.max.replace(tzinfo=timezone.utc)

    def urgency(n: Notice) -> tuple[int, datetime, str]:
        """Act now (open window, no appeal yet) first, nearest deadline first; then appeals
        waiting on the seller, then on the platform; decided, missed and final last."""
        appeal = appeals.get(n.notice_id)
        if appeal is not None:
            group = {"info_requested": 1, "submitted": 2, "under_review": 2}.get(appeal.status, 3)
            due = appeal.info_request_deadline or far
        else:
            open_window = n.appealable and n.appeal_deadline is not None and n.appeal_deadline > now
            group, due = (0, n.appeal_deadline or far) if open_window else (3, far)
        return group, due, n.notice_id

    notices = sorted(result.notices, key=urgency)
    table = Table(title=f"{result.store} ({result.platform}): {len(result.listings)} listings "
                  f"need attention, {len(result.notices)} notices", title_justify="left")
    for col in ("Deadline", "Notice", "Violation", "Listings", "Days removed", "Est. loss",
                "Appeal"):
        table.add_column(col)
    total_loss = 0.0
    for notice in notices:
        listings = [by_id[i] for i in notice.listing_ids if i in by_id]
        days = (now - notice.issued_at).total_seconds() / 86400 if notice.issued_at else None
        gmv = sum(x.daily_gmv or 0 for x in listings)
        loss = days * gmv if days is not None and gmv else None
        total_loss += loss or 0
        appeal = appeals.get(notice.notice_id)
        deadline = (
            "final" if not notice.appealable
            else _in(notice.appeal_deadline - now) if notice.appeal_deadline else "—"
        )
        table.add_row(
            plain(deadline), plain(notice.notice_id), plain(notice.violation_type),
            plain(len(notice.listing_ids)), plain(f"{days:.0f}" if days is not None else "—"),
            plain(f"${loss:,.0f}" if loss else "—"),
            plain(appeal.status_label or appeal.status if appeal else "none"),
        )
    ctx.console.print(table)
    if result.account is not None:
        acct = result.account
        ctx.console.print(plain(f"Account state: {acct.state or 'unknown'}; legal name: "
                                f"{acct.legal_name or 'unknown'}"))
    if total_loss:
        ctx.console.print(plain(f"Estimated sales lost so far: ${total_loss:,.0f}"))
    for err in result.errors:
        ctx.console.print(plain(f"! {err.page}: {err.step}: {err.message}"), style="red")


def render_diff(ctx: AppContext, diff: ScanDiff, notes: list[str]) -> None:
    new = [i for e, i in diff.new if e == "listing"]
    changed = [(i, f, o, n) for e, i, f, o, n in diff.changed]
    resolved = [i for e, i in diff.resolved if e == "listing"]
    if diff.is_empty():
        ctx.console.print(ctx.t("Nothing changed since the last scan.", "与上次扫描相比没有变化。"))
    else:
        ctx.console.print(plain(
            f"Since the last scan: {len(new)} new listing(s), {len(changed)} change(s), "
            f"{len(resolved)} resolved."))
        for entity_id, field, old, new_value in changed[:20]:
            ctx.console.print(plain(f"  changed {entity_id}: {field} {old} -> {new_value}"))
    for note in notes:
        ctx.console.print(plain(f"Note: {note}"), style="yellow")


def render_deadlines(ctx: AppContext, deadlines: list[Deadline], now: datetime) -> None:
    if not deadlines:
        ctx.console.print(ctx.t("No open deadlines in the local store. (Run `autofill scan` to "
                                "refresh it.)",
                                "本地没有未到期的截止时间。(运行 `autofill scan` 更新)"))
        return
    table = Table(title=ctx.t("Open deadlines, nearest first", "未到期的截止时间(由近到远)"),
                  title_justify="left")
    for col in ("Due (UTC)", "In", "Store", "What"):
        table.add_column(col)
    for item in deadlines:
        style = "bold red" if item.left(now) < timedelta(days=2) else None
        table.add_row(plain(item.due.strftime("%Y-%m-%d %H:%M")), plain(_in(item.left(now))),
                      plain(item.store), plain(item.what), style=style)
    ctx.console.print(table)
