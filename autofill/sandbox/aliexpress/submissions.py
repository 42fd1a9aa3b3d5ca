"""What a successful form does to the store, and the record of what was sent (for truth)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from autofill.sandbox.aliexpress.forms import Submitted, split_order_numbers
from autofill.sandbox.aliexpress.models import Appeal, Record, Report, World
from autofill.sandbox.clock import iso


def file_appeal(world: World, record: Record, sent: Submitted, now: datetime) -> Appeal:
    """A new appeal (已提交) for `record`; the caller has checked the window and the form."""
    appeal = Appeal(
        appeal_id=_new_id(world, "AP"),
        punish_id=record.punish_id,
        reason=sent.values["reason"],
        statement=sent.values["statement"],
        status="submitted",
        submitted_at=now,
    )
    world.add_appeal(appeal)
    _remember(
        world,
        sent,
        now,
        kind="appeal",
        appeal_id=appeal.appeal_id,
        notice_id=record.punish_id,
        listing_id=record.product_ids[0],
        appeal_type=appeal.reason,
    )
    return appeal


def file_supplement(world: World, appeal: Appeal, sent: Submitted, now: datetime) -> None:
    """The one 补充材料 of `appeal`: the appeal goes back to 审核中."""
    appeal.supplements_used += 1
    appeal.status = "under_review"
    record = world.record(appeal.punish_id)
    _remember(
        world,
        sent,
        now,
        kind="supplement",
        appeal_id=appeal.appeal_id,
        notice_id=appeal.punish_id,
        listing_id=record.product_ids[0] if record else None,
        appeal_type=None,
    )


def file_report(world: World, sent: Submitted, now: datetime) -> Report:
    """A new report (待审核) filed against another seller."""
    values = sent.values
    report = Report(
        report_id=_new_id(world, "JB"),
        report_type=values["report_type"],
        reported_store=values["reported_store"],
        product_link=values["product_link"],
        order_numbers=split_order_numbers(values["order_numbers"]),
        statement=values["statement"],
        status="待审核",
        submitted_at=now,
        file_names=[f.name for f in sent.files],
    )
    world.reports.insert(0, report)
    _remember(
        world, sent, now, kind="report", report_id=report.report_id, appeal_type=report.report_type
    )
    return report


def _remember(world: World, sent: Submitted, now: datetime, **ids: Any) -> None:
    entry: dict[str, Any] = {
        "kind": ids.pop("kind"),
        "appeal_id": None,
        "notice_id": None,
        "listing_id": None,
        "report_id": None,
        **ids,
        "statement": sent.values.get("statement", ""),
        "fields": {
            k: v for k, v in sent.values.items() if k not in ("statement", "reason", "report_type")
        },
        "files": [f.as_truth() for f in sent.files],
        "at": iso(now),
    }
    world.submissions.append(entry)


def _new_id(world: World, prefix: str) -> str:
    taken = {a.appeal_id for a in world.appeals} | {r.report_id for r in world.reports}
    rng = random.Random(f"{prefix}:{len(world.submissions)}:{len(taken)}")
    while True:
        candidate = prefix + "".join(str(rng.randrange(10)) for _ in range(8))
        if candidate not in taken:
            return candidate
