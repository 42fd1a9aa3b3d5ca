"""Deterministic seeded data: same seed, listing count and start day -> the same store.

A fifth of the products are not 正在销售. With 120 products or more every catalogue kind has a
record and one record is a batch of 8-20 products (fewer products get the kinds that fit); records
fall in the golden 72 hours, later in the window and after it; appeals exist in every status.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from autofill.sandbox.aliexpress.catalogue import DEFICIENCIES, INFO_REQUEST_TEXT, KINDS
from autofill.sandbox.aliexpress.models import (
    Appeal,
    Product,
    Record,
    Report,
    ReportAgainst,
    World,
)

_ADJECTIVES = (
    "Wireless",
    "Portable",
    "Foldable",
    "Waterproof",
    "Mini",
    "Smart",
    "Vintage",
    "Stainless Steel",
    "Magnetic",
    "LED",
    "Silicone",
    "Cotton",
    "Adjustable",
)
_NOUNS = (
    "Bluetooth Earphones",
    "Phone Holder",
    "Storage Box",
    "Desk Lamp",
    "Yoga Mat",
    "Water Bottle",
    "Kitchen Scale",
    "Hair Clip Set",
    "Car Charger",
    "Backpack",
    "Watch Strap",
    "Makeup Brush Set",
    "Pet Bowl",
    "Camping Lantern",
    "Puzzle Toy",
)
_CATEGORIES = (
    "消费电子 > 耳机",
    "手机配件 > 支架",
    "家居用品 > 收纳",
    "灯具照明 > 台灯",
    "运动户外 > 瑜伽",
    "家居用品 > 厨房",
    "美妆个护 > 发饰",
    "汽车用品 > 充电器",
    "箱包 > 双肩包",
    "手表 > 表带",
    "美妆个护 > 化妆工具",
    "宠物用品 > 食具",
    "运动户外 > 露营",
    "玩具 > 益智玩具",
)
_BRANDS = ("Lumora", "Kestrel", "Vantora", "Nordhaven", "Brightwell")  # invented
_OFFLINE_REASONS = ("到期下架", "卖家下架", "降级下架", "类目准入未续签")


@dataclass(frozen=True)
class _Plan:
    """One seeded record: its kind, how long before the start day it was delivered, its appeal."""

    kind: str
    age_hours: int
    appeal: str | None = None  # appeal status key
    edc: str | None = None
    viewed_after_hours: int | None = None


# every kind once, spread over the window (ages are from the start day's midnight UTC, so they
# stay in the same window part for the whole day: golden < 48 h, open 96-144 h, closed > 168 h)
_BASE_PLAN: tuple[_Plan, ...] = (
    _Plan("ip_trademark", 20),
    _Plan("report_image_theft", 10, viewed_after_hours=2),
    _Plan("quality_duplicate", 30),
    _Plan("ip_copyright", 100, viewed_after_hours=60),
    _Plan("editable_return", 40),
    _Plan("serious_ip", 72, appeal="submitted", viewed_after_hours=1),
    _Plan("prohibited", 110, appeal="under_review", viewed_after_hours=5),
    _Plan("trade_fake_shipping", 120, appeal="info_requested", viewed_after_hours=3),
    _Plan("ip_patent", 12 * 24, viewed_after_hours=100),
    _Plan("trade_manipulation", 30 * 24, appeal="rejected", edc="EDC-207", viewed_after_hours=8),
    _Plan("trade_not_shipped", 20 * 24, appeal="rejected", edc="EDC-215", viewed_after_hours=30),
    _Plan("quality_category", 40 * 24, appeal="approved", viewed_after_hours=4),
    _Plan("quality_sku", 25 * 24, appeal="closed", viewed_after_hours=6),
    _Plan("report_counterfeit", 15 * 24, viewed_after_hours=20),
    _Plan("retired", 200 * 24),
)
_EXTRA_APPEALS = (None, None, None, "under_review", "approved", "rejected", "closed")


class _Ids:
    """Unique ids drawn from one RNG."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def make(self, prefix: str, digits: int) -> str:
        while True:
            value = prefix + "".join(str(self._rng.randrange(10)) for _ in range(digits))
            if value not in self._seen:
                self._seen.add(value)
                return value


def build_world(seed: int, listings: int, anchor: datetime) -> World:
    """The seeded store; `anchor` is midnight UTC of the server's start day."""
    rng = random.Random(f"aliexpress:{seed}:{listings}")
    ids = _Ids(rng)
    products = [_product(i, rng, ids) for i in range(listings)]
    order = list(range(listings))
    rng.shuffle(order)
    budget = listings // 5
    not_active = [products[i] for i in order[:budget]]
    active_pool = [products[i] for i in order[budget:]]

    records: list[Record] = []
    appeals: list[Appeal] = []
    singles = sum(1 for p in _BASE_PLAN if not KINDS[p.kind].batch and p.appeal != "approved")
    # the batch takes what the single records and two record-less products leave over
    batch_size = min(rng.randint(8, 20), budget - singles - 2)
    remaining = budget
    for plan in _BASE_PLAN:
        restored = plan.appeal == "approved"  # the product is back on sale
        batch = KINDS[plan.kind].batch
        size = batch_size if batch else 1
        if batch and size < 8:
            continue
        pool = active_pool if restored else not_active
        if size > (len(active_pool) - 1 if restored else remaining):
            continue
        chosen = [pool.pop() for _ in range(size)]
        remaining -= 0 if restored else size
        _add_record(plan, chosen, restored, anchor, rng, ids, records, appeals)

    for index, product in enumerate(not_active):
        if index % 2 == 0:  # no record: taken offline or being audited
            product.status = "offline" if index % 4 == 0 else "auditing"
            product.offline_reason = (
                rng.choice(_OFFLINE_REASONS) if product.status == "offline" else None
            )
            continue
        kind = rng.choice(sorted(k for k in KINDS if not KINDS[k].batch))
        appeal = rng.choice(_EXTRA_APPEALS) if KINDS[kind].appealable else None
        plan = _Plan(
            kind,
            rng.randint(1, 90 * 24),
            appeal=appeal,
            edc=rng.choice(sorted(DEFICIENCIES)) if appeal == "rejected" else None,
            viewed_after_hours=rng.choice((None, 1, 12, 50)),
        )
        if appeal == "info_requested":
            plan = _Plan(kind, plan.age_hours, appeal="under_review")
        _add_record(plan, [product], False, anchor, rng, ids, records, appeals)

    records.sort(key=lambda r: r.delivered_at, reverse=True)
    appeals.sort(key=lambda a: a.submitted_at, reverse=True)
    reports = _reports(anchor, rng, ids)
    reported = _reported(records, active_pool, anchor, rng, ids)
    return World(anchor, products, records, appeals, reports, reported)


def _product(index: int, rng: random.Random, ids: _Ids) -> Product:
    noun_index = rng.randrange(len(_NOUNS))
    edition = rng.choice(("2025", "Pro", "Plus", "Set"))
    title = f"{rng.choice(_ADJECTIVES)} {_NOUNS[noun_index]} {edition}"
    gmv = None if rng.random() < 0.3 else round(rng.uniform(1.0, 300.0), 2)
    return Product(
        product_id=ids.make("1005", 12),
        sku=f"SKU-{index + 1:06d}",
        title=title,
        model=f"AE-{rng.choice('ABCDEFGHJK')}{rng.randint(10, 999)}",
        category=_CATEGORIES[noun_index % len(_CATEGORIES)],
        status="on_selling",
        daily_gmv=gmv,
    )


def _add_record(
    plan: _Plan,
    products: list[Product],
    restored: bool,
    anchor: datetime,
    rng: random.Random,
    ids: _Ids,
    records: list[Record],
    appeals: list[Appeal],
) -> None:
    kind = KINDS[plan.kind]
    delivered = anchor - timedelta(
        hours=plan.age_hours, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
    )
    viewed = None
    if plan.viewed_after_hours is not None:
        viewed = min(
            delivered + timedelta(hours=plan.viewed_after_hours, minutes=rng.randint(0, 59)),
            anchor - timedelta(minutes=30),
        )
    record = Record(
        punish_id=ids.make("3", 11),
        kind_key=kind.key,
        product_ids=[p.product_id for p in products],
        delivered_at=delivered,
        viewed_at=viewed,
        brand=rng.choice(_BRANDS) if kind.ip_kind else None,
    )
    for product in products:
        product.punish_id = record.punish_id
        product.status = "on_selling" if restored else kind.product_status
        product.offline_reason = (
            ("违规下架" if kind.origin == "platform" else "处罚下架")
            if product.status == "removed"
            else None
        )
    records.append(record)
    if plan.appeal is not None:
        appeals.append(_appeal(plan, record, anchor, rng, ids))


def _appeal(plan: _Plan, record: Record, anchor: datetime, rng: random.Random, ids: _Ids) -> Appeal:
    kind = record.kind
    # filed inside the window, never after the start day
    hours_in = min(rng.randint(2, 100), max(1, plan.age_hours - 2))
    submitted = record.delivered_at + timedelta(hours=hours_in)
    submitted = min(submitted, anchor - timedelta(hours=1))
    appeal = Appeal(
        appeal_id=ids.make("AP", 8),
        punish_id=record.punish_id,
        reason=kind.reasons_offered[0],
        statement=f"依据《AliExpress Seller Rules》{kind.rule_ref},{kind.reasons_offered[0]},"
        "附证据材料。",
        status=plan.appeal or "submitted",
        submitted_at=submitted,
    )
    if appeal.status == "info_requested":
        appeal.info_request_deadline = anchor + timedelta(hours=48)
        appeal.info_request_text = INFO_REQUEST_TEXT
    elif appeal.status == "closed":  # a request that was never answered
        appeal.info_request_deadline = submitted + timedelta(hours=72)
        appeal.info_request_text = INFO_REQUEST_TEXT
    elif appeal.status == "rejected":
        appeal.rejection_code = plan.edc or "EDC-207"
    return appeal


def _reports(anchor: datetime, rng: random.Random, ids: _Ids) -> list[Report]:
    seeded = (
        ("盗图", "Sunny Deals Store", "待审核", 1),
        ("售假", "Global Bargain Shop", "审核中", 3),
        ("刷单", "Top Choice Outlet", "举报成立", 12),
        ("盗图", "Happy Life Mall", "举报不成立", 40),
    )
    reports = []
    for report_type, store, status, days in seeded:
        link = f"https://www.aliexpress.com/item/1005{rng.randrange(10**11, 10**12)}.html"
        orders = [str(rng.randrange(8 * 10**15, 9 * 10**15))] if report_type == "刷单" else []
        reports.append(
            Report(
                report_id=ids.make("JB", 8),
                report_type=report_type,
                reported_store=store,
                product_link=link,
                order_numbers=orders,
                statement=f"该店铺涉嫌{report_type},证据见附件。",
                status=status,
                submitted_at=anchor - timedelta(days=days, hours=rng.randint(1, 20)),
                file_names=["证据截图1.png"],
            )
        )
    return reports


def _reported(
    records: list[Record],
    active_pool: list[Product],
    anchor: datetime,
    rng: random.Random,
    ids: _Ids,
) -> list[ReportAgainst]:
    against: list[ReportAgainst] = []
    for record in records:
        if record.kind.origin == "report":
            kind_type = "售假" if record.kind.category == "serious_ip" else "盗图"
            against.append(
                ReportAgainst(
                    ids.make("JB", 8),
                    kind_type,
                    record.product_ids[0],
                    record.delivered_at - timedelta(days=3),
                    "已处罚",
                    record.punish_id,
                )
            )
    for status in ("待处理", "不成立"):
        if active_pool:
            product = active_pool[rng.randrange(len(active_pool))]
            against.append(
                ReportAgainst(
                    ids.make("JB", 8),
                    rng.choice(("盗图", "售假")),
                    product.product_id,
                    anchor - timedelta(days=rng.randint(1, 20)),
                    status,
                )
            )
    return against
