"""Page text -> records. Pure functions: unit-tested without a browser."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from autofill.models import Account, Appeal, Listing, Notice
from flows.joom.labels import APPEAL_STATUS, LISTING_STATUS, NO_VALUE

Terms = dict[str, dict[str, Any]]


def text(terms: Terms, name: str) -> str:
    value = terms.get(name, {}).get("text", "")
    return "" if value in NO_VALUE else str(value)


def when(value: str) -> datetime | None:
    """ISO 8601 (with Z or offset) -> aware UTC datetime; nothing or "—" -> None."""
    value = value.strip()
    if not value or value in NO_VALUE:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def money(value: str) -> float | None:
    """"$1,234.50" -> 1234.5; "—" -> None."""
    found = re.search(r"-?[\d,]+(?:\.\d+)?", value or "")
    return float(found.group(0).replace(",", "")) if found else None


def listing_from(row: dict[str, Any], product: Terms, violation: Terms) -> Listing:
    cells = row["cells"]
    label = text(product, "Status") or cells.get("Status", "")
    status = LISTING_STATUS.get(label)
    if status is None:
        # An unknown label is still a listing that needs a look: never drop it.
        status = "removed"
    return Listing(
        listing_id=text(product, "Product ID") or cells.get("Product ID", ""),
        sku=text(product, "SKU") or cells.get("SKU", ""),
        title=cells.get("Title", ""),
        model=text(product, "Model"),
        status=status,
        status_label=label,
        notice_id=text(violation, "Notification ID") or None,
        url=row["links"].get("Actions") or row["links"].get("Product ID") or "",
        daily_gmv=money(text(product, "Daily GMV") or cells.get("Daily GMV", "")),
    )


def notice_from_violation(violation: Terms, listing_id: str) -> Notice | None:
    notice_id = text(violation, "Notification ID")
    if not notice_id:
        return None
    return Notice(
        notice_id=notice_id,
        listing_ids=(listing_id,),
        violation_type=text(violation, "Violation type"),
        rule_ref=text(violation, "Rule reference"),
        issued_at=when(text(violation, "Issued")),
        appeal_deadline=when(text(violation, "Appeal deadline")),
    )


def notice_from_notification(heading: str, terms: Terms) -> Notice | None:
    """A notification that names a violation is a notice; others (info requests) are not."""
    found = re.search(r"\b([A-Z]{2,5}-\d+)\b", heading)
    violation = text(terms, "Violation type")
    if not found or not violation:
        return None
    products = terms.get("Products", {})
    ids = tuple(products.get("items") or [p for p in products.get("text", "").split() if p])
    return Notice(
        notice_id=found.group(1),
        listing_ids=ids,
        violation_type=violation,
        rule_ref=text(terms, "Rule reference"),
        issued_at=when(text(terms, "Issued")),
        appeal_deadline=when(text(terms, "Appeal deadline")),
        kind=text(terms, "Type"),
    )


def appeal_from_row(row: dict[str, Any]) -> Appeal:
    cells = row["cells"]
    label = cells.get("Status", "")
    return Appeal(
        appeal_id=cells.get("Appeal ID", ""),
        notice_id=cells.get("Notification ID", ""),
        listing_id=cells.get("Product ID", ""),
        status=APPEAL_STATUS.get(label, "under_review"),
        status_label=label,
        submitted_at=when(cells.get("Submitted", "")),
        info_request_deadline=when(cells.get("Respond by", "")),
    )


def account_from(health: Terms, profile: Terms) -> Account:
    figures = {
        name: text(health, name)
        for name in ("Performance status", "Store rating", "Return rate", "Dispute rate",
                     "Valid tracking rate")
        if text(health, name)
    }
    return Account(
        state=text(health, "Account state"),
        legal_name=text(profile, "Legal company name"),
        figures=figures,
    )
