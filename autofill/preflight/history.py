"""Checks against what already happened for this notice: an appeal still open, a request for
more information left past its deadline, the same files or statement sent before (ledger)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from autofill.bundle import Case
from autofill.models import OPEN_APPEAL_STATUSES
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.preflight.text import squash
from autofill.rulepack import Rule


def when(moment: datetime) -> str:
    """A deadline as people read it: '2026-11-20 08:15 UTC'."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def appeal_pending(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    for appeal in ctx.appeals:
        if appeal.status in OPEN_APPEAL_STATUSES:
            yield Hit(
                f"notice {case.notice_id}",
                {
                    "appeal_id": appeal.appeal_id,
                    "status": appeal.status_label or appeal.status,
                    "business_days": ctx.rulepack.deadlines.info_request_business_days,
                },
            )
            return


def info_request_overdue(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    for appeal in ctx.appeals:
        deadline = appeal.info_request_deadline
        if appeal.status == "info_requested" and deadline and _aware(deadline) < ctx.now:
            yield Hit(
                f"appeal {appeal.appeal_id}",
                {
                    "appeal_id": appeal.appeal_id,
                    "deadline": when(deadline),
                    "business_days": ctx.rulepack.deadlines.info_request_business_days,
                },
            )


def evidence_resubmitted(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    mine = {seen.sha256 for seen in ctx.files if seen.sha256 and seen.problem != "empty"}
    if not mine:
        return
    for sent in ctx.submissions:
        files = sent.get("files")
        before = {
            f.get("sha256") for f in files if isinstance(f, dict)
        } if isinstance(files, list) else set()
        if mine <= before:
            yield Hit("evidence", _sent(sent))
            return


def statement_resubmitted(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    mine = squash(case.statement)
    if not mine:
        return
    for sent in ctx.submissions:
        statement = sent.get("statement")
        if isinstance(statement, str) and squash(statement) == mine:
            yield Hit("statement", _sent(sent))
            return


def _sent(entry: Mapping[str, Any]) -> dict[str, object]:
    return {"appeal_id": entry.get("appeal_id", "?"), "at": entry.get("at", "?")}


CHECKS: dict[str, CheckFn] = {
    "appeal_pending": appeal_pending,
    "info_request_overdue": info_request_overdue,
    "evidence_resubmitted": evidence_resubmitted,
    "statement_resubmitted": statement_resubmitted,
}
