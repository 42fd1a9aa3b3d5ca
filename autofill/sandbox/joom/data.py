"""The seeded Joom store: listings, notices, appeals, account; the same for the same seed and day.

Generation is linear in the number of listings. Dates are offsets from `anchor` (midnight UTC of
the server's start day) so that deadlines stay meaningful in a demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from autofill.sandbox.clock import add_business_days
from autofill.sandbox.joom.catalogue import (
    APPEAL_WINDOW_DAYS,
    BATCH_SCENARIO,
    INFO_REQUEST_BUSINESS_DAYS,
    INFO_REQUEST_KIND,
    INFO_REQUEST_TYPE,
    PRODUCTS,
    REJECTION_CODE,
    SCENARIOS,
    SCENARIOS_BY_KEY,
    Scenario,
)

APPEAL_STATUSES = ("submitted", "under_review", "info_requested", "approved", "rejected", "closed")
_ADJECTIVES = ("Portable", "Compact", "Premium", "Classic", "Mini", "Foldable", "Waterproof",
               "Ergonomic", "Lightweight", "Durable", "Smart", "Vintage")
_COLORS = ("Black", "White", "Grey", "Blue", "Pink", "Green", "Red")


@dataclass
class Infraction:
    code: str
    where: str
    variant_sku: str | None
    permanent: bool

    def text(self) -> str:
        """How the product page lists it: code · where · variant SKU or - · permanent|fixable."""
        kind = "permanent" if self.permanent else "fixable"
        return f"{self.code} · {self.where} · {self.variant_sku or '-'} · {kind}"


@dataclass
class Listing:
    listing_id: str
    sku: str
    title: str = ""
    model: str = ""
    category: str = ""
    status: str = "active"  # a STATUS_LABELS key
    notice_id: str | None = None
    daily_gmv: float | None = None
    has_active_version: bool = True
    infractions: list[Infraction] = field(default_factory=list)


@dataclass
class Notice:
    """A notification: a penalty notice, or a request for more information about an appeal."""

    notice_id: str
    kind: str  # scenario key, or "info_request"
    notification_type: str
    violation_type: str
    rule_ref: str
    listing_ids: list[str]
    issued_at: datetime
    appeal_deadline: datetime | None
    appeal_types: tuple[str, ...]
    body: str
    certificate: str | None = None
    appeal_id: str | None = None  # info requests: the appeal they are about

    @property
    def appealable(self) -> bool:
        return bool(self.appeal_types)


@dataclass
class Appeal:
    appeal_id: str
    notice_id: str
    listing_id: str
    status: str  # stored status; an expired information request reads as "closed"
    submitted_at: datetime
    appeal_type: str = ""
    statement: str = ""
    info_requested_at: datetime | None = None
    info_request_deadline: datetime | None = None
    info_request_text: str = ""
    rejection_code: str | None = None
    duplicate: bool = False
    supplements_used: int = 0


@dataclass
class JoomData:
    listings: list[Listing]
    notices: list[Notice]
    appeals: list[Appeal]
    account: dict[str, str | None]
    store: dict[str, str]


@dataclass
class _Plan:
    scenario: Scenario | None  # None: being processed by Joom, no notice
    size: int = 1
    appeal_status: str | None = None


class _Ids:
    """Unique random ids in the site's formats."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def _unique(self, make: str) -> str:
        while True:
            value = make.format(self.rng.getrandbits(96), self.rng.randint(10_000, 99_999),
                                self.rng.randint(100_000, 999_999))
            if value not in self.seen:
                self.seen.add(value)
                return value

    def product(self) -> str:
        return self._unique("{0:024x}")

    def notice(self) -> str:
        return self._unique("NTF-{1}")

    def appeal(self) -> str:
        return self._unique("APL-{2}")


def generate(seed: int, count: int, anchor: datetime) -> JoomData:
    """The store for `seed` with `count` listings; dates are offsets from `anchor`."""
    rng = random.Random(seed)
    ids = _Ids(rng)
    listings = [Listing(ids.product(), f"SKU-{i + 1:06d}") for i in range(count)]
    plans = _plan(rng, count)
    slots = iter(rng.sample(range(count), sum(p.size for p in plans)))
    notices: list[Notice] = []
    appeals: list[Appeal] = []
    for plan in plans:
        members = [listings[next(slots)] for _ in range(plan.size)]
        if plan.scenario is None:
            _describe(rng, members[0], rng.randrange(len(PRODUCTS)))
            members[0].status = "processing"
            members[0].has_active_version = rng.random() < 0.5
            continue
        notice = _notice(rng, ids, plan, members, anchor)
        notices.append(notice)
        if plan.appeal_status is not None:
            appeal = _appeal(rng, ids, plan.appeal_status, notice, members[0], anchor)
            appeals.append(appeal)
            if appeal.info_requested_at is not None:
                notices.append(info_request_notice(ids.notice(), appeal, notice))
    for listing in listings:
        if not listing.title:
            _describe(rng, listing, rng.randrange(len(PRODUCTS)))
    notices.sort(key=lambda n: (n.issued_at, n.notice_id), reverse=True)
    appeals.sort(key=lambda a: (a.submitted_at, a.appeal_id), reverse=True)
    return JoomData(listings, notices, appeals, _account(rng, anchor), _store())


def _plan(rng: random.Random, count: int) -> list[_Plan]:
    """Which notices to create: every scenario, a batch, appeals in each status, then random."""
    singles = [s for s in SCENARIOS if s.key != BATCH_SCENARIO]
    appealable = [s for s in singles if s.appealable]
    batch_size = rng.randint(8, min(20, 8 + max(0, count // 5 - 21)))
    wanted = [_Plan(s) for s in singles] + [_Plan(None)]
    wanted += [_Plan(rng.choice(appealable), appeal_status=st) for st in APPEAL_STATUSES]
    wanted.append(_Plan(SCENARIOS_BY_KEY[BATCH_SCENARIO], size=batch_size))
    required = sum(p.size for p in wanted)
    budget = max(count // 5, required) if count >= 60 else min(required, count // 2)
    plans: list[_Plan] = []
    left = budget
    for plan in wanted:  # small stores get as much coverage as fits
        size = plan.size if plan.size <= left else (left if plan.size > 1 and left >= 2 else 0)
        if size:
            plans.append(_Plan(plan.scenario, size, plan.appeal_status))
            left -= _not_active(plans[-1])
    while left > 0:
        plans.append(_extra(rng, left))
        left -= _not_active(plans[-1])
    while sum(p.size for p in plans) > count:  # restored listings took extra room
        plans.pop()
    return plans


def _not_active(plan: _Plan) -> int:
    """How many listings the plan leaves not Active (an approved appeal restored its listing)."""
    return plan.size - (1 if plan.appeal_status == "approved" else 0)


def _extra(rng: random.Random, left: int) -> _Plan:
    roll = rng.random()
    if roll < 0.1:
        return _Plan(None)
    removals = [s for s in SCENARIOS if s.status == "removed"]
    if roll < 0.2 and left >= 2:
        return _Plan(rng.choice(removals), size=rng.randint(2, min(6, left)))
    scenario = rng.choice(SCENARIOS)
    status = None
    if scenario.appealable and rng.random() < 0.3:
        status = rng.choices(APPEAL_STATUSES, weights=(2, 3, 1, 1, 2, 1))[0]
    return _Plan(scenario, appeal_status=status)


# days before the anchor a notice was issued, by the status of its appeal
_ISSUED_DAYS_AGO: dict[str | None, tuple[int, int]] = {
    None: (1, 12), "submitted": (3, 5), "under_review": (5, 10), "info_requested": (6, 10),
    "approved": (10, 12), "rejected": (8, 12), "closed": (20, 24),
}


def _notice(
    rng: random.Random, ids: _Ids, plan: _Plan, members: list[Listing], anchor: datetime
) -> Notice:
    scenario = plan.scenario
    assert scenario is not None
    low, high = _ISSUED_DAYS_AGO[plan.appeal_status]
    issued = anchor - timedelta(days=rng.randint(low, high)) + _time_of_day(rng)
    product = rng.choice(scenario.products)
    notice = Notice(
        notice_id=ids.notice(),
        kind=scenario.key,
        notification_type=scenario.notification_type,
        violation_type=scenario.violation_type,
        rule_ref=scenario.rule_ref,
        listing_ids=[m.listing_id for m in members],
        issued_at=issued,
        appeal_deadline=issued + timedelta(days=APPEAL_WINDOW_DAYS) if scenario.appealable
        else None,
        appeal_types=scenario.appeal_types,
        body=scenario.body,
        certificate=scenario.certificate,
    )
    for member in members:
        _describe(rng, member, product if plan.size > 1 else rng.choice(scenario.products))
        member.status = scenario.status
        member.notice_id = notice.notice_id
        member.has_active_version = scenario.status == "warning" or (
            scenario.status == "pending_review" and rng.random() < 0.5
        )
        member.infractions = [
            Infraction(
                scenario.infraction_code,
                where,
                f"{member.sku}-{rng.randint(1, 4):02d}" if where == "variant" else None,
                permanent=not scenario.appealable,
            )
            for where in rng.sample(scenario.where, rng.randint(1, len(scenario.where)))
        ]
    return notice


def _appeal(
    rng: random.Random, ids: _Ids, status: str, notice: Notice, listing: Listing,
    anchor: datetime,
) -> Appeal:
    submitted = notice.issued_at + timedelta(days=1, minutes=rng.randint(0, 600))
    appeal = Appeal(
        appeal_id=ids.appeal(),
        notice_id=notice.notice_id,
        listing_id=listing.listing_id,
        status="info_requested" if status == "closed" else status,
        submitted_at=submitted,
        appeal_type=notice.appeal_types[0],
        statement=f"Appeal for {listing.sku}: the listing complies with {notice.rule_ref}.",
    )
    if status in ("info_requested", "closed"):
        # a closed appeal is an information request nobody answered in time (auto-close)
        asked = anchor - timedelta(days=1 if status == "info_requested" else 14, hours=-10)
        appeal.info_requested_at = asked
        appeal.info_request_deadline = add_business_days(asked, INFO_REQUEST_BUSINESS_DAYS)
        appeal.info_request_text = (
            f"Please provide a complete, readable copy of your evidence for model {listing.model}, "
            "with the issuing body's seal or signature."
        )
    if status == "rejected":
        appeal.rejection_code = REJECTION_CODE
    if status == "approved":  # the listing was restored
        listing.status, listing.has_active_version = "active", True
    return appeal


def info_request_notice(notice_id: str, appeal: Appeal, notice: Notice) -> Notice:
    """The notification that tells the seller Joom wants more information about an appeal.

    It is a notification but not a notice: the scan contract's notices are penalties only.
    """
    deadline = appeal.info_request_deadline
    due = deadline.strftime("%Y-%m-%d %H:%M UTC") if deadline else "the deadline"
    return Notice(
        notice_id=notice_id,
        kind=INFO_REQUEST_KIND,
        notification_type=INFO_REQUEST_TYPE,
        violation_type="",  # not a notice of its own: no violation, no rule (SPEC.md)
        rule_ref="",
        listing_ids=[appeal.listing_id],
        issued_at=appeal.info_requested_at or appeal.submitted_at,
        appeal_deadline=None,
        appeal_types=(),
        body=(
            f"We need more information to review appeal {appeal.appeal_id}. Respond in Support > "
            f"Appeals by {due} (5 business days), or the appeal will be closed."
        ),
        appeal_id=appeal.appeal_id,
    )


def _describe(rng: random.Random, listing: Listing, product: int) -> None:
    category, noun, prefix = PRODUCTS[product]
    listing.category = category
    listing.model = f"{prefix}-{rng.choice('ABCDEFGHKLMNPRSTX')}{rng.randint(10, 99)}"
    listing.title = f"{rng.choice(_ADJECTIVES)} {noun} {listing.model} {rng.choice(_COLORS)}"
    listing.daily_gmv = round(rng.uniform(0.5, 120.0), 2) if rng.random() < 0.7 else None


def _time_of_day(rng: random.Random) -> timedelta:
    return timedelta(hours=rng.randint(0, 23), minutes=5 * rng.randint(0, 11))


_PROFILES = (
    ("Perfect", "4.8", "1.2%", "0.3%", "99.1%"),
    ("Average", "4.6", "3.1%", "0.8%", "97.5%"),
    ("Poor", "3.9", "7.4%", "2.6%", "91.0%"),
)


def _account(rng: random.Random, anchor: datetime) -> dict[str, str | None]:
    status, rating, returns, disputes, tracking = rng.choice(_PROFILES)
    strike = anchor + timedelta(days=rng.randint(20, 80)) if status != "Perfect" else None
    return {
        "state": "Active",
        "performance_status": status,
        "store_rating": rating,
        "return_rate": returns,
        "dispute_rate": disputes,
        "valid_tracking_rate": tracking,
        "strike_until": strike.strftime("%Y-%m-%d") if strike else None,
    }


def _store() -> dict[str, str]:
    return {
        "store_name": "Example Home & Tech",
        "legal_name": "Shenzhen Example Trading Co., Ltd.",
        "kyc_status": "Approved",
        "registered_email": "demo@seller.example",
    }
