"""Checks on the case against the scanned store: the notice is known and belongs to this store
and platform, its listings are the case's, its appeal deadline is ahead, the account is Active."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timezone

from autofill.bundle import Case
from autofill.check_kinds import NoticeMatchParams, WindowParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.preflight.history import when
from autofill.rulepack import Rule

_DAY_SECONDS = 86400


def notice_known(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.notice is None:
        yield Hit("notice_id")


def notice_match(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if rule.typed_params(NoticeMatchParams).field == "store":
        if ctx.notice_store and ctx.notice_store != case.store:
            yield Hit("store", {"expected": case.store, "found": ctx.notice_store})
    elif ctx.store_platform and ctx.store_platform != case.platform:
        yield Hit("platform", {"expected": case.platform, "found": ctx.store_platform})


def listing_in_notice(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.notice is None or not ctx.notice.listing_ids:
        return
    for index, listing_id in enumerate(case.listing_ids):
        if listing_id not in ctx.notice.listing_ids:
            yield Hit(f"listing_ids[{index}]", {"listing_id": listing_id})


def appeal_deadline(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    deadline = ctx.notice.appeal_deadline if ctx.notice else None
    if deadline is None:
        return
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=timezone.utc)
    seconds = (deadline - ctx.now).total_seconds()
    window = rule.typed_params(WindowParams).window_days
    if (window == 0 and seconds < 0) or (0 <= seconds < window * _DAY_SECONDS):
        yield Hit(
            f"notice {case.notice_id}",
            {"deadline": when(deadline), "days_left": int(seconds // _DAY_SECONDS)},
        )


def account_state(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.account is not None and ctx.account.state and not ctx.account.is_active:
        yield Hit("account", {"state": ctx.account.state})


def store_scanned(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.account is None:
        yield Hit("store")


CHECKS: dict[str, CheckFn] = {
    "notice_known": notice_known,
    "notice_match": notice_match,
    "listing_in_notice": listing_in_notice,
    "appeal_deadline": appeal_deadline,
    "account_state": account_state,
    "store_scanned": store_scanned,
}
