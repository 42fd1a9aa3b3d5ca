"""Joom's own words, mapped to the scan contract (site knowledge, kept with the flow)."""

from __future__ import annotations

from autofill.models import AppealStatus, ListingStatus

LISTING_STATUS: dict[str, ListingStatus] = {
    "Active": "active",
    "Warning": "warning",
    "Pending Review": "pending_review",
    "Being processed by Joom": "pending_review",
    "Rejected": "rejected",
    "Removed": "removed",
    "Inactive": "inactive",
    "Disabled by Joom": "removed",
    "Disabled by Merchant": "inactive",
    "Locked": "removed",
}

APPEAL_STATUS: dict[str, AppealStatus] = {
    "Submitted": "submitted",
    "Under Review": "under_review",
    "Request for Additional Information": "info_requested",
    "Approved": "approved",
    "Rejected": "rejected",
    "Closed": "closed",
}

NO_VALUE = {"", "—", "-", "n/a", "N/A"}
