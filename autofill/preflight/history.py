"""Checks against what already happened for this notice: an appeal still open, a request for
more information left past its deadline, the same files or statement sent before (ledger), and
the platform's limits on how many appeals and supplements may be sent (store and ledger)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from autofill.bundle import Case
from autofill.check_kinds import SubmissionLimitParams
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
                f"notice {appeal.notice_id}",
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


def submission_limit(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    params = rule.typed_params(SubmissionLimitParams)
    if ctx.notice is None and not ctx.submissions and not ctx.appeals:
        return
    sent = _ledger_counts(ctx.submissions, params.submission)
    where = f"notice {ctx.notice.notice_id}" if ctx.notice else "notice_id"
    if params.submission == "appeal":
        # every appeal counts, decided or not: where appeals are limited, a decision is final
        ids = list(dict.fromkeys([*(a.appeal_id for a in ctx.appeals), *sent]))
        if len(ids) >= params.limit:
            first = ctx.appeals[0] if ctx.appeals else None
            status = (first.status_label or first.status) if first else "submitted"
            yield Hit(where, _limit_facts(ids[0], status, len(ids), params.limit))
        return
    # supplements count per appeal, for the appeals a supplement could still answer
    statuses = {a.appeal_id: a for a in ctx.appeals}
    candidates = [a.appeal_id for a in ctx.appeals if a.status in OPEN_APPEAL_STATUSES]
    candidates += [i for i in sent if i not in statuses]
    for appeal_id in candidates:
        known = statuses.get(appeal_id)
        used = max(known.supplements_used if known else 0, sent.get(appeal_id, 0))
        if used >= params.limit:
            status = (known.status_label or known.status) if known else "submitted"
            yield Hit(f"appeal {appeal_id}", _limit_facts(appeal_id, status, used, params.limit))
            return


def _ledger_counts(submissions: Sequence[Mapping[str, Any]], kind: str) -> dict[str, int]:
    """How many submissions of `kind` the ledgers recorded, per appeal id."""
    counts: dict[str, int] = {}
    for entry in submissions:
        appeal_id = entry.get("appeal_id")
        if entry.get("kind") == kind and isinstance(appeal_id, str) and appeal_id:
            counts[appeal_id] = counts.get(appeal_id, 0) + 1
    return counts


def _limit_facts(appeal_id: str, status: str, count: int, limit: int) -> dict[str, object]:
    return {"appeal_id": appeal_id, "status": status, "count": count, "limit": limit}


def _sent(entry: Mapping[str, Any]) -> dict[str, object]:
    return {"appeal_id": entry.get("appeal_id", "?"), "at": entry.get("at", "?")}


CHECKS: dict[str, CheckFn] = {
    "appeal_pending": appeal_pending,
    "info_request_overdue": info_request_overdue,
    "evidence_resubmitted": evidence_resubmitted,
    "statement_resubmitted": statement_resubmitted,
    "submission_limit": submission_limit,
}
