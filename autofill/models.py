"""What a record is: listings, notices, appeals and scan results, whatever site they came from."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Platform = Literal["joom", "aliexpress"]
ListingStatus = Literal["removed", "inactive", "pending_review", "rejected", "warning", "active"]
AppealStatus = Literal[
    "submitted", "under_review", "info_requested", "approved", "rejected", "closed"
]

OPEN_APPEAL_STATUSES: frozenset[str] = frozenset({"submitted", "under_review", "info_requested"})


class Record(BaseModel):
    """Scraped records are data: strict about shape, never interpreted as markup."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Listing(Record):
    listing_id: str
    sku: str = ""
    title: str = ""
    model: str = ""
    status: ListingStatus
    status_label: str
    notice_id: str | None = None
    url: str = ""
    daily_gmv: float | None = None


class Notice(Record):
    notice_id: str
    listing_ids: tuple[str, ...] = ()
    violation_type: str
    rule_ref: str = ""
    issued_at: datetime | None = None
    appeal_deadline: datetime | None = None
    points: int | None = None
    appealable: bool = True
    kind: str = ""


class Appeal(Record):
    appeal_id: str
    notice_id: str
    listing_id: str = ""
    status: AppealStatus
    status_label: str = ""
    submitted_at: datetime | None = None
    info_request_deadline: datetime | None = None
    rejection_code: str | None = None
    supplements_used: int = 0


class Account(Record):
    """The store's standing as the Seller Center shows it."""

    state: str = ""
    legal_name: str = ""
    figures: dict[str, str] = Field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return self.state.strip().lower() in {"active", "正常"}


class ScanError(Record):
    page: str
    step: str
    message: str


class ScanResult(BaseModel):
    """The `scan --json` contract object (DESIGN.md)."""

    store: str
    platform: Platform
    scanned_at: datetime
    listings: list[Listing] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    appeals: list[Appeal] = Field(default_factory=list)
    errors: list[ScanError] = Field(default_factory=list)
    account: Account | None = None

    def contract(self) -> dict[str, object]:
        """The public JSON shape: exactly the contract's fields, ISO 8601 times."""
        return {
            "store": self.store,
            "platform": self.platform,
            "scanned_at": _iso(self.scanned_at),
            "listings": [
                {
                    "listing_id": x.listing_id,
                    "sku": x.sku,
                    "title": x.title,
                    "status": x.status,
                    "status_label": x.status_label,
                    "notice_id": x.notice_id,
                    "url": x.url,
                }
                for x in self.listings
            ],
            "notices": [
                {
                    "notice_id": n.notice_id,
                    "listing_ids": list(n.listing_ids),
                    "violation_type": n.violation_type,
                    "rule_ref": n.rule_ref,
                    "issued_at": _iso(n.issued_at),
                    "appeal_deadline": _iso(n.appeal_deadline),
                }
                for n in self.notices
            ],
            "appeals": [
                {
                    "appeal_id": a.appeal_id,
                    "notice_id": a.notice_id,
                    "listing_id": a.listing_id,
                    "status": a.status,
                    "submitted_at": _iso(a.submitted_at),
                    "info_request_deadline": _iso(a.info_request_deadline),
                }
                for a in self.appeals
            ],
            "errors": [e.model_dump() for e in self.errors],
        }


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")
