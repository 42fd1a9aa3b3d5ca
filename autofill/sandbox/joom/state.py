"""The live Joom store: the seeded data plus what happened since (appeals, answers, test switches).

Statuses that depend on time (an information request past its deadline reads as Closed) are
computed from the clock on every read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from autofill.sandbox.clock import SandboxClock, add_business_days, iso, parse_iso
from autofill.sandbox.joom.catalogue import (
    APPEAL_STATUS_LABELS,
    INFO_REQUEST_BUSINESS_DAYS,
    NORMALIZED_STATUS,
    OPEN_APPEAL_STATUSES,
    REJECTION_CODE,
    STATUS_LABELS,
)
from autofill.sandbox.joom.data import (
    Appeal,
    JoomData,
    Listing,
    Notice,
    generate,
    info_request_notice,
)
from autofill.sandbox.joom.forms import ReceivedFile

FORM_VARIANTS = ("renamed_field", "new_required_field", "dropped_file_type")
DRIFTS = ("products_table",)
STATE_KEYS = frozenset(
    {"now", "account_state", "strike_until", "appeal", "form_variant", "listing", "drift"}
)
ACCOUNT_STATES = ("Active", "Account Under Review")


@dataclass
class Submission:
    """What a form POST delivered (file names, sizes and hashes; never the bytes)."""

    kind: str  # "appeal" | "supplement"
    appeal_id: str
    notice_id: str
    listing_id: str
    appeal_type: str | None
    statement: str
    files: list[ReceivedFile]
    at: datetime
    fields: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.files = [replace(f, head=b"") for f in self.files]  # keep no content at all

    def truth(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "appeal_id": self.appeal_id,
            "notice_id": self.notice_id,
            "listing_id": self.listing_id,
            "appeal_type": self.appeal_type,
            "statement": self.statement,
            "fields": dict(self.fields),
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in self.files],
            "at": iso(self.at),
        }


class JoomState:
    """Everything the Joom pages show, and the changes their forms make."""

    def __init__(self, seed: int, count: int, clock: SandboxClock) -> None:
        self.seed, self.count, self.clock = seed, count, clock
        self.reset()

    def reset(self) -> None:
        """Back to the seeded store (for today's anchor) with no submissions and no switches."""
        self.data: JoomData = generate(self.seed, self.count, self.clock.today())
        self.listings: dict[str, Listing] = {x.listing_id: x for x in self.data.listings}
        self.notices: dict[str, Notice] = {n.notice_id: n for n in self.data.notices}
        self.appeals: dict[str, Appeal] = {a.appeal_id: a for a in self.data.appeals}
        self.submissions: list[Submission] = []
        self.form_variant: str | None = None
        self.drift: str | None = None
        self._ids = random.Random(f"joom-new-ids-{self.seed}")

    # -- reading ------------------------------------------------------------------------------

    def appeal_status(self, appeal: Appeal) -> str:
        """The status the pages show now: an unanswered, overdue information request is closed."""
        deadline = appeal.info_request_deadline
        if appeal.status == "info_requested" and deadline and self.clock.now() > deadline:
            return "closed"
        return appeal.status

    def open_deadline(self, appeal: Appeal) -> datetime | None:
        """The information request's deadline while it can still be answered, else None."""
        return appeal.info_request_deadline if self.appeal_status(appeal) == "info_requested" \
            else None

    def listings_with(self, status_key: str) -> list[Listing]:
        """Listings in page order for a Status filter key (all, not_active or a status key)."""
        if status_key == "all":
            return self.data.listings
        if status_key == "not_active":
            return [x for x in self.data.listings if x.status != "active"]
        return [x for x in self.data.listings if x.status == status_key]

    def appeals_of(self, notice_id: str) -> list[Appeal]:
        return [a for a in self.data.appeals if a.notice_id == notice_id]

    def open_appeal(self, notice_id: str) -> Appeal | None:
        """The newest appeal of the notice that is not decided yet."""
        for appeal in self.appeals_of(notice_id):
            if self.appeal_status(appeal) in OPEN_APPEAL_STATUSES:
                return appeal
        return None

    def approved_appeal(self, notice_id: str, listing_id: str) -> Appeal | None:
        for appeal in self.appeals_of(notice_id):
            if appeal.listing_id == listing_id and self.appeal_status(appeal) == "approved":
                return appeal
        return None

    # -- changes ------------------------------------------------------------------------------

    def submit_appeal(
        self, listing: Listing, notice: Notice, appeal_type: str, statement: str,
        files: list[ReceivedFile], fields: dict[str, str],
    ) -> Appeal:
        """Record an appeal; a second one while another is undecided is accepted as duplicate."""
        now = self.clock.now()
        appeal = Appeal(
            appeal_id=self._new_id("APL-", 100_000, 999_999, self.appeals),
            notice_id=notice.notice_id,
            listing_id=listing.listing_id,
            status="submitted",
            submitted_at=now,
            appeal_type=appeal_type,
            statement=statement,
            duplicate=self.open_appeal(notice.notice_id) is not None,
        )
        self.data.appeals.insert(0, appeal)
        self.appeals[appeal.appeal_id] = appeal
        self.submissions.append(
            Submission("appeal", appeal.appeal_id, notice.notice_id, listing.listing_id,
                       appeal_type, statement, files, now, fields)
        )
        return appeal

    def answer_info_request(self, appeal: Appeal, text: str, files: list[ReceivedFile]) -> None:
        """The seller's additional information: the appeal goes back to Under Review."""
        appeal.status = "under_review"
        appeal.info_request_deadline = None
        appeal.supplements_used += 1
        self.submissions.append(
            Submission("supplement", appeal.appeal_id, appeal.notice_id, appeal.listing_id,
                       None, text, files, self.clock.now())
        )

    def set_state(self, payload: dict[str, Any]) -> None:
        """Test switches (POST /__sandbox__/joom/state); raises ValueError on a bad payload."""
        unknown = set(payload) - STATE_KEYS
        if unknown:
            raise ValueError(f"unknown joom state keys: {', '.join(sorted(unknown))}")
        if "now" in payload:
            self.clock.set(None if payload["now"] is None else _time(payload["now"], "now"))
        if "account_state" in payload:
            if payload["account_state"] not in ACCOUNT_STATES:
                raise ValueError(f"account_state must be one of {', '.join(ACCOUNT_STATES)}")
            self.data.account["state"] = payload["account_state"]
        if "strike_until" in payload:
            value = payload["strike_until"]
            self.data.account["strike_until"] = None if value is None else \
                _time(value, "strike_until").strftime("%Y-%m-%d")
        if "form_variant" in payload:
            if payload["form_variant"] not in (*FORM_VARIANTS, None):
                raise ValueError(f"form_variant must be null or one of {', '.join(FORM_VARIANTS)}")
            self.form_variant = payload["form_variant"]
        if "drift" in payload:
            if payload["drift"] not in (*DRIFTS, None):
                raise ValueError(f"drift must be null or one of {', '.join(DRIFTS)}")
            self.drift = payload["drift"]
        if "listing" in payload:
            self._set_listing(payload["listing"])
        if "appeal" in payload:
            self._set_appeal(payload["appeal"])

    def _set_listing(self, change: Any) -> None:
        if not isinstance(change, dict) or change.get("listing_id") not in self.listings:
            raise ValueError("listing needs the listing_id of an existing product")
        status = change.get("status")
        if status not in STATUS_LABELS:
            raise ValueError(f"listing status must be one of {', '.join(STATUS_LABELS)}")
        listing = self.listings[change["listing_id"]]
        listing.status = status
        listing.has_active_version = status in ("active", "warning")

    def _set_appeal(self, change: Any) -> None:
        if not isinstance(change, dict) or change.get("appeal_id") not in self.appeals:
            raise ValueError("appeal needs the appeal_id of an existing appeal")
        appeal = self.appeals[change["appeal_id"]]
        status = change.get("status", appeal.status)
        if status not in APPEAL_STATUS_LABELS:
            raise ValueError(f"appeal status must be one of {', '.join(APPEAL_STATUS_LABELS)}")
        if status == "closed":  # closed for good, whatever the clock says
            appeal.info_request_deadline = None
        appeal.status = status
        if status == "info_requested":
            now = self.clock.now()
            deadline = change.get("info_request_deadline")
            appeal.info_requested_at = now
            appeal.info_request_deadline = _time(deadline, "info_request_deadline") \
                if deadline else add_business_days(now, INFO_REQUEST_BUSINESS_DAYS)
            appeal.info_request_text = appeal.info_request_text or (
                "Please provide a complete, readable copy of your evidence.")
            self._notify_info_request(appeal)
        elif "info_request_deadline" in change:
            raw = change["info_request_deadline"]
            appeal.info_request_deadline = _time(raw, "info_request_deadline") if raw else None
        if status == "rejected":
            appeal.rejection_code = change.get("rejection_code") or REJECTION_CODE
        if status == "approved":
            listing = self.listings[appeal.listing_id]
            listing.status, listing.has_active_version = "active", True

    def _notify_info_request(self, appeal: Appeal) -> None:
        notice = self.notices[appeal.notice_id]
        notification = info_request_notice(
            self._new_id("NTF-", 10_000, 99_999, self.notices), appeal, notice
        )
        self.data.notices.insert(0, notification)
        self.notices[notification.notice_id] = notification

    def _new_id(self, prefix: str, low: int, high: int, taken: dict[str, Any]) -> str:
        while True:
            candidate = f"{prefix}{self._ids.randint(low, high)}"
            if candidate not in taken:
                return candidate

    # -- ground truth -------------------------------------------------------------------------

    def truth(self, base_url: str) -> dict[str, Any]:
        """GET /__sandbox__/truth's "joom" object (SPEC.md, "Test hooks")."""
        return {
            "listings": [self._listing_truth(x, base_url) for x in self.data.listings],
            "notices": [_notice_truth(n) for n in self.data.notices if n.appeal_id is None],
            "info_requests": [_info_request_truth(n) for n in self.data.notices
                              if n.appeal_id is not None],
            "appeals": [self._appeal_truth(a) for a in self.data.appeals],
            "submissions": [s.truth() for s in self.submissions],
            "account": dict(self.data.account),
            "store": dict(self.data.store),
        }

    @staticmethod
    def _listing_truth(listing: Listing, base_url: str) -> dict[str, Any]:
        return {
            "listing_id": listing.listing_id,
            "sku": listing.sku,
            "title": listing.title,
            "model": listing.model,
            "status": NORMALIZED_STATUS[listing.status],
            "status_label": STATUS_LABELS[listing.status],
            "notice_id": listing.notice_id,
            "url": f"{base_url}/products/{listing.listing_id}",
            "daily_gmv": listing.daily_gmv,
        }

    def _appeal_truth(self, appeal: Appeal) -> dict[str, Any]:
        status = self.appeal_status(appeal)
        return {
            "appeal_id": appeal.appeal_id,
            "notice_id": appeal.notice_id,
            "listing_id": appeal.listing_id,
            "status": status,
            "status_label": APPEAL_STATUS_LABELS[status],
            "submitted_at": iso(appeal.submitted_at),
            "info_request_deadline": iso(self.open_deadline(appeal)),
            "rejection_code": appeal.rejection_code if status == "rejected" else None,
            "duplicate": appeal.duplicate,
            "supplements_used": appeal.supplements_used,
            "appeal_type": appeal.appeal_type,
        }


def _notice_truth(notice: Notice) -> dict[str, Any]:
    return {
        "notice_id": notice.notice_id,
        "listing_ids": list(notice.listing_ids),
        "violation_type": notice.violation_type,
        "rule_ref": notice.rule_ref,
        "issued_at": iso(notice.issued_at),
        "appeal_deadline": iso(notice.appeal_deadline),
        "appealable": notice.appealable,
        "kind": notice.kind,
        "notification_type": notice.notification_type,
    }


def _info_request_truth(notification: Notice) -> dict[str, Any]:
    return {
        "notice_id": notification.notice_id,
        "appeal_id": notification.appeal_id,
        "listing_ids": list(notification.listing_ids),
        "issued_at": iso(notification.issued_at),
    }


def _time(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO 8601 time string")
    try:
        return parse_iso(value)
    except ValueError:
        raise ValueError(f"{name} is not an ISO 8601 time: {value!r}") from None
