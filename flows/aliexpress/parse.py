"""Page text -> records. Pure functions: unit-tested without a browser.

The pages print 北京时间 (UTC+8) as "2026-11-20 16:15:00"; records hold aware UTC datetimes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from autofill.models import Account, Appeal, Listing, Notice
from flows.aliexpress.labels import (
    ACCOUNT_TERMS,
    APPEAL_STATUS,
    COUNTERS,
    LISTING_STATUS,
    NEVER_APPEALABLE,
    NO_VALUE,
    PROFILE_TERMS,
    TALLIES,
)

Terms = dict[str, dict[str, Any]]
Row = dict[str, Any]

BEIJING = timezone(timedelta(hours=8))
_STAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_OF_N = re.compile(r"第\s*\d+\s*/\s*(\d+)\s*页")
_APPEAL_ID = re.compile(r"(?<![A-Za-z0-9])(AP\d{8})(?!\d)")
_REPORT_ID = re.compile(r"(?<![A-Za-z0-9])(JB\d{8})(?!\d)")
APPEAL_ID_PATTERN = _APPEAL_ID.pattern
REPORT_ID_PATTERN = _REPORT_ID.pattern


def text(terms: Terms, name: str) -> str:
    value = str(terms.get(name, {}).get("text", "")).strip()
    return "" if value in NO_VALUE else value


def beijing(value: str) -> datetime | None:
    """The first time stamp in `value` as aware UTC. Stamps without an offset are 北京时间
    (UTC+8), as the pages say; "—", "未查看" and other text without a stamp -> None."""
    found = _STAMP.search(value or "")
    if not found:
        return None
    year, month, day, hour, minute, second, offset = found.groups()
    zone = BEIJING
    if offset == "Z":
        zone = timezone.utc
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute),
                         int(second or 0), tzinfo=zone)
    except ValueError:
        return None
    return local.astimezone(timezone.utc)


def iso_utc(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def page_count(pager_text: str) -> int:
    """"上一页 第 2 / 5 页 下一页" -> 5 (1 when the text has no page count)."""
    found = _OF_N.search(pager_text or "")
    return int(found.group(1)) if found else 1


def integer(value: str) -> int | None:
    found = re.search(r"-?\d+", value or "")
    return int(found.group(0)) if found else None


def money(value: str) -> float | None:
    """"US $1,234.50" -> 1234.5; "—" -> None."""
    found = re.search(r"\d[\d,]*(?:\.\d+)?", value or "")
    return float(found.group(0).replace(",", "")) if found else None


def appeal_id_in(value: str) -> str | None:
    found = _APPEAL_ID.search(value or "")
    return found.group(1) if found else None


def report_id_in(value: str) -> str | None:
    found = _REPORT_ID.search(value or "")
    return found.group(1) if found else None


# --- 处罚记录 -----------------------------------------------------------------------------------


def record_id(row: Row) -> str:
    return str(row["cells"].get("处罚编号", "")).strip()


def notice_from_record(row: Row, listing_ids: Iterable[str]) -> Notice:
    """One row of 处罚记录 (and the products its 处罚通知 names) -> a Notice.

    A record is appealable unless the site says it never is (from a report, or returned for
    editing); a closed window keeps it appealable in kind, with its deadline in the past.
    """
    cells = row["cells"]
    deadline = beijing(cells.get("申诉截止", ""))
    action = cells.get("操作", "")
    appealable = deadline is not None and not any(m in action for m in NEVER_APPEALABLE)
    return Notice(
        notice_id=record_id(row),
        listing_ids=tuple(dict.fromkeys(listing_ids)),
        violation_type=cells.get("违规小类", ""),
        rule_ref=cells.get("违规规则", ""),
        issued_at=beijing(cells.get("送达时间", "")),
        appeal_deadline=deadline if appealable else None,
        points=integer(cells.get("扣分", "")),
        appealable=appealable,
        kind=cells.get("违规大类", ""),
    )


def products_of_notice(terms: Terms) -> tuple[str, tuple[str, ...]]:
    """A 处罚通知's (处罚编号, the product ids under 涉及商品)."""
    products = terms.get("涉及商品", {})
    ids = products.get("items") or str(products.get("text", "")).split()
    return text(terms, "处罚编号"), tuple(i.strip() for i in ids if i.strip())


def products_of_detail(rows: list[Row]) -> tuple[str, ...]:
    """The 商品ID column of a 处罚详情's 涉及商品 table."""
    return tuple(r["cells"].get("商品ID", "").strip() for r in rows if r["cells"].get("商品ID"))


# --- 商品管理 -----------------------------------------------------------------------------------


def listing_from(row: Row, product: Terms) -> Listing:
    """A 商品列表 row and its 商品信息 terms -> a Listing (an unknown label is never dropped)."""
    cells = row["cells"]
    label = text(product, "商品状态") or cells.get("商品状态", "")
    return Listing(
        listing_id=text(product, "商品ID") or cells.get("商品ID", ""),
        sku=text(product, "商品编码") or cells.get("商品编码", ""),
        title=cells.get("商品标题", ""),
        model=text(product, "型号"),
        status=LISTING_STATUS.get(label, "removed"),
        status_label=label,
        notice_id=text(product, "处罚编号") or None,
        url=row["links"].get("操作") or "",
        daily_gmv=money(text(product, "日均销售额") or cells.get("日均销售额", "")),
    )


# --- 我的申诉 -----------------------------------------------------------------------------------


def appeal_from_row(row: Row) -> Appeal:
    cells = row["cells"]
    label = cells.get("申诉状态", "")
    return Appeal(
        appeal_id=cells.get("申诉编号", ""),
        notice_id=cells.get("处罚编号", ""),
        listing_id=cells.get("商品ID", ""),
        status=APPEAL_STATUS.get(label, "under_review"),
        status_label=label,
        submitted_at=beijing(cells.get("提交时间", "")),
        info_request_deadline=beijing(cells.get("补充截止", "")),
    )


def with_details(appeal: Appeal, detail: Terms) -> Appeal:
    """Add what only 申诉详情 shows: supplements used ("已提交 1/1") and the rejection code."""
    used = integer(text(detail, "补充材料"))
    code = text(detail, "证据缺陷代码") or None
    return appeal.model_copy(update={
        "supplements_used": used if used is not None else appeal.supplements_used,
        "rejection_code": code if appeal.status == "rejected" else None,
    })


# --- 账户 ---------------------------------------------------------------------------------------


def account_from(health: Terms, tallies: list[Row], profile: Terms, counters: Terms) -> Account:
    """账户健康 (state, requirements, point tallies), 店铺信息 and the to-do counters."""
    figures: dict[str, str] = {}
    for row in tallies:
        key = TALLIES.get(row["cells"].get("积分类型", ""))
        if key:
            figures[key] = row["cells"].get("当前扣分", "")
    for source, names in ((health, ACCOUNT_TERMS), (profile, PROFILE_TERMS),
                          (counters, COUNTERS)):
        for term, key in names.items():
            if text(source, term):
                figures[key] = text(source, term)
    return Account(
        state=text(health, "账户状态"),
        legal_name=text(profile, "公司名称"),
        figures=figures,
    )
