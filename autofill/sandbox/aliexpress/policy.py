"""The platform's rules over time: appeal windows, statuses computed on read, points, refusals.

Everything here is a pure function of the stored records and `now`, so pages and truth agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from autofill.sandbox.aliexpress.catalogue import (
    APPEAL_WINDOW_DAYS,
    EXAM_PASS_SCORE,
    GOLDEN_HOURS,
    OPEN_APPEAL,
    POINTS_WINDOW_DAYS,
    TALLIES,
)
from autofill.sandbox.aliexpress.models import Account, Appeal, Record, World

WINDOW_CLOSED = "申诉期已过(处罚送达后7个自然日内可申诉),系统已自动关闭申诉入口。"
FROM_REPORT = "该处罚源自举报成立,不支持申诉。"
EDITABLE_RETURN = "该商品已退回编辑,不支持申诉,请编辑后重新提交。"
ACCOUNT_NOT_READY = "您的账户尚未完成企业认证、对公账户绑定或KYC实名核验,暂无法提交申诉。"
ACCOUNT_NOT_READY_REPORT = "您的账户尚未完成企业认证、对公账户绑定或KYC实名核验,暂无法提交举报。"
EXAM_NOT_PASSED = "首次申诉前须通过卖家教育考试(≥90分)。"
RECORD_NOT_FOUND = "未找到该处罚记录。"
ONE_SUPPLEMENT = "每次申诉仅可提交1次补充材料,您已提交过补充材料。"
NO_SUPPLEMENT_NEEDED = "当前申诉状态无需补充材料。"
SUPPLEMENT_TOO_LATE = "补充材料期限已过,申诉已关闭。"


def already_appealed(appeal_id: str) -> str:
    return f"每条处罚记录仅可申诉一次,该处罚已提交申诉({appeal_id})。"


@dataclass(frozen=True)
class Refusal:
    """Why a form cannot be used: the HTTP status and the site's sentence."""

    status_code: int
    message: str


def appeal_deadline(record: Record) -> datetime | None:
    """7 natural days after delivery (not after the seller read it); None if never appealable."""
    if not record.kind.appealable:
        return None
    return record.delivered_at + timedelta(days=APPEAL_WINDOW_DAYS)


def appeal_status(appeal: Appeal, now: datetime) -> str:
    """The appeal's status key; an unanswered request for more material closes at its deadline."""
    if (
        appeal.status == "info_requested"
        and appeal.info_request_deadline is not None
        and now >= appeal.info_request_deadline
    ):
        return "closed"
    return appeal.status


def record_status(world: World, record: Record, now: datetime) -> str:
    """The 处罚状态 key (catalogue.RECORD_STATUSES)."""
    appeal = world.appeal_for(record.punish_id)
    if appeal is not None:
        status = appeal_status(appeal, now)
        if status in OPEN_APPEAL:
            return "appealing"
        return {"approved": "appeal_succeeded", "rejected": "appeal_rejected"}.get(status, "active")
    deadline = appeal_deadline(record)
    if deadline is not None and now < deadline:
        return "pending_appeal"
    return "active"


def appeal_open(world: World, record: Record, now: datetime) -> bool:
    """True while 申请申诉 is offered: appealable, not yet appealed, window still open."""
    return record_status(world, record, now) == "pending_appeal"


def in_golden_hours(world: World, record: Record, now: datetime) -> bool:
    """Within 72 hours of delivery and still waiting for an appeal."""
    return appeal_open(world, record, now) and now < record.delivered_at + timedelta(
        hours=GOLDEN_HOURS
    )


def appeal_refusal(world: World, record: Record, now: datetime) -> Refusal | None:
    """Why this record's appeal form is refused now, or None when it may be used."""
    kind = record.kind
    if kind.origin == "report":
        return Refusal(403, FROM_REPORT)
    if kind.origin == "audit":
        return Refusal(403, EDITABLE_RETURN)
    appeal = world.appeal_for(record.punish_id)
    if appeal is not None:
        return Refusal(409, already_appealed(appeal.appeal_id))
    if not appeal_open(world, record, now):
        return Refusal(403, WINDOW_CLOSED)
    return account_refusal(world.account, for_report=False)


def account_refusal(account: Account, for_report: bool) -> Refusal | None:
    """Enterprise verification, corporate account and KYC are required; appeals need the exam."""
    ready = (
        account.enterprise_verification == "已认证"
        and account.corporate_account == "已绑定"
        and account.kyc == "已完成"
    )
    if not ready:
        return Refusal(403, ACCOUNT_NOT_READY_REPORT if for_report else ACCOUNT_NOT_READY)
    if not for_report and (account.exam_score is None or account.exam_score < EXAM_PASS_SCORE):
        return Refusal(403, EXAM_NOT_PASSED)
    return None


def supplement_refusal(appeal: Appeal, now: datetime) -> Refusal | None:
    """One supplement per appeal, only while more material is requested and before its deadline."""
    if appeal.supplements_used >= 1:
        return Refusal(409, ONE_SUPPLEMENT)
    status = appeal_status(appeal, now)
    if status == "closed" and appeal.status == "info_requested":
        return Refusal(409, SUPPLEMENT_TOO_LATE)
    if status != "info_requested":
        return Refusal(409, NO_SUPPLEMENT_NEEDED)
    return None


def points(world: World, now: datetime) -> dict[str, int]:
    """Points per tally: records delivered in the last 365 days whose appeal did not succeed."""
    totals = dict.fromkeys(TALLIES, 0)
    since = now - timedelta(days=POINTS_WINDOW_DAYS)
    for record in world.records:
        if not since <= record.delivered_at <= now:
            continue
        if record_status(world, record, now) == "appeal_succeeded":
            continue
        totals[record.kind.tally] += record.kind.points
    return totals


def counters(world: World, now: datetime) -> dict[str, int]:
    """The to-do counters 待回应 / 待处罚 / 待举证."""
    return {
        "pending_response": sum(appeal_open(world, r, now) for r in world.records),
        "pending_punishment": sum(r.status == "待处理" for r in world.reported),
        "pending_evidence": sum(
            appeal_status(a, now) == "info_requested" and a.supplements_used == 0
            for a in world.appeals
        ),
    }


def remaining_text(deadline: datetime, now: datetime) -> str:
    """The countdown as the pages print it: 剩余6天23小时 / 剩余5小时 / 剩余不足1小时 / 已截止."""
    left = deadline - now
    if left <= timedelta(0):
        return "已截止"
    days, seconds = left.days, left.seconds
    hours = seconds // 3600
    if days:
        return f"剩余{days}天{hours}小时"
    if hours:
        return f"剩余{hours}小时"
    return "剩余不足1小时"
