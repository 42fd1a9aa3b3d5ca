"""What the pages show of each record, computed from the stored data and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from autofill.sandbox.aliexpress import policy
from autofill.sandbox.aliexpress.catalogue import (
    APPEAL_STATUSES,
    DEFICIENCIES,
    ORIGINS,
    PRODUCT_STATUSES,
    RECORD_STATUSES,
    TALLIES,
    Deficiency,
    ViolationKind,
)
from autofill.sandbox.aliexpress.models import Appeal, Product, Record, World


@dataclass(frozen=True)
class RecordView:
    """One 处罚记录 as the list, the detail page and the notices show it."""

    record: Record
    kind: ViolationKind
    status: str
    status_label: str
    deadline: datetime | None
    remaining: str | None
    can_appeal: bool
    golden: bool
    appeal: Appeal | None
    blocked_note: str | None  # why there is no 申请申诉 (report / editable / window closed)
    tally_label: str
    origin_label: str


def record_view(world: World, record: Record, now: datetime) -> RecordView:
    kind = record.kind
    status = policy.record_status(world, record, now)
    deadline = policy.appeal_deadline(record)
    appeal = world.appeal_for(record.punish_id)
    can_appeal = status == "pending_appeal"
    note = None
    if kind.origin == "report":
        note = policy.FROM_REPORT
    elif kind.origin == "audit":
        note = policy.EDITABLE_RETURN
    elif appeal is None and not can_appeal:
        note = policy.WINDOW_CLOSED
    return RecordView(
        record=record,
        kind=kind,
        status=status,
        status_label=RECORD_STATUSES[status],
        deadline=deadline,
        remaining=policy.remaining_text(deadline, now) if deadline else None,
        can_appeal=can_appeal,
        golden=policy.in_golden_hours(world, record, now),
        appeal=appeal,
        blocked_note=note,
        tally_label=TALLIES[kind.tally],
        origin_label=ORIGINS[kind.origin],
    )


@dataclass(frozen=True)
class AppealView:
    appeal: Appeal
    record: Record
    status: str
    status_label: str
    listing_id: str
    info_request_open: bool  # a request for more material that may still be answered
    deficiency: Deficiency | None


def appeal_view(world: World, appeal: Appeal, now: datetime) -> AppealView:
    record = world.record(appeal.punish_id)
    assert record is not None  # appeals are only ever made for existing records
    status = policy.appeal_status(appeal, now)
    return AppealView(
        appeal=appeal,
        record=record,
        status=status,
        status_label=APPEAL_STATUSES[status],
        listing_id=record.product_ids[0],
        info_request_open=status == "info_requested",
        deficiency=DEFICIENCIES.get(appeal.rejection_code or ""),
    )


def product_status(product: Product) -> tuple[str, str]:
    """(label, normalized status) of a product."""
    return PRODUCT_STATUSES[product.status]
