"""Checks on the case against the scanned store: the notice is known and belongs to this store
and platform, its listings are the case's, its appeal deadline is ahead (and where the platform
has a 'golden' first window after delivery, whether it is closing), the account is Active and
meets the platform's requirements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from autofill.bundle import AppealCase, Case
from autofill.check_kinds import (
    AccountFigureParams,
    DeliveryWindowParams,
    NoticeMatchParams,
    WindowParams,
)
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.preflight.history import when
from autofill.rulepack import Rule

_DAY_SECONDS = 86400
_HOUR_SECONDS = 3600


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def notice_known(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if isinstance(case, AppealCase) and ctx.notice is None:
        yield Hit("notice_id")


def notice_match(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if rule.typed_params(NoticeMatchParams).field == "store":
        if ctx.notice_store and ctx.notice_store != case.store:
            yield Hit("store", {"expected": case.store, "found": ctx.notice_store})
    elif ctx.store_platform and ctx.store_platform != case.platform:
        yield Hit("platform", {"expected": case.platform, "found": ctx.store_platform})


def listing_in_notice(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if not isinstance(case, AppealCase) or ctx.notice is None or not ctx.notice.listing_ids:
        return
    for index, listing_id in enumerate(case.listing_ids):
        if listing_id not in ctx.notice.listing_ids:
            yield Hit(f"listing_ids[{index}]", {"listing_id": listing_id})


def appeal_deadline_of(ctx: CheckContext) -> datetime | None:
    """The notice's appeal deadline as the scan read it; else, where the pack counts a window
    from delivery (not from when the seller read the notice), delivery plus that window."""
    notice = ctx.notice
    if notice is None or not notice.appealable:
        return None
    if notice.appeal_deadline is not None:
        return _aware(notice.appeal_deadline)
    hours = ctx.rulepack.deadlines.appeal_window_hours
    if hours and notice.issued_at is not None:
        return _aware(notice.issued_at) + timedelta(hours=hours)
    return None


def appeal_deadline(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    deadline = appeal_deadline_of(ctx)
    if deadline is None or ctx.notice is None:
        return
    seconds = (deadline - ctx.now).total_seconds()
    window = rule.typed_params(WindowParams).window_days
    if (window == 0 and seconds < 0) or (0 <= seconds < window * _DAY_SECONDS):
        yield Hit(
            f"notice {ctx.notice.notice_id}",
            {
                "deadline": when(deadline),
                "days_left": int(seconds // _DAY_SECONDS),
                "hours_left": max(0, int(seconds // _HOUR_SECONDS)),
            },
        )


def delivery_window(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    notice = ctx.notice
    if notice is None or notice.issued_at is None or not notice.appealable:
        return
    params = rule.typed_params(DeliveryWindowParams)
    delivered = _aware(notice.issued_at)
    ends = delivered + timedelta(hours=params.hours)
    if not delivered <= ctx.now < ends:
        return
    left = (ends - ctx.now).total_seconds()
    if params.closing_within_hours and left > params.closing_within_hours * _HOUR_SECONDS:
        return
    yield Hit(
        f"notice {notice.notice_id}",
        {
            "delivered": when(delivered),
            "ends": when(ends),
            "hours_left": int(left // _HOUR_SECONDS),
        },
    )


def account_state(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.account is not None and ctx.account.state and not ctx.account.is_active:
        yield Hit("account", {"state": ctx.account.state})


def account_figure(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.account is None:
        return  # store_scanned says the account is unknown
    params = rule.typed_params(AccountFigureParams)
    value = ctx.account.figures.get(params.figure, "").strip()
    if value and not re.search(params.pattern, value):
        yield Hit(f"account.{params.figure}", {"figure": params.figure, "value": value})


def store_scanned(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.account is None:
        yield Hit("store")


CHECKS: dict[str, CheckFn] = {
    "notice_known": notice_known,
    "notice_match": notice_match,
    "listing_in_notice": listing_in_notice,
    "appeal_deadline": appeal_deadline,
    "delivery_window": delivery_window,
    "account_state": account_state,
    "account_figure": account_figure,
    "store_scanned": store_scanned,
}
