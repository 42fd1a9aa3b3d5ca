"""What each way of collecting a store yields, reduced to one comparable shape.

`{"listings": {id: [status, status_label, notice_id]}, "notices": {id: [listing ids]},
"appeals": {id: status}}`: the scan's contract, the naive flow and the HTTP floor must agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autofill.models import Appeal, Listing, Notice

Collected = dict[str, dict[str, Any]]


def collected(listings: Iterable[Listing], notices: Iterable[Notice],
              appeals: Iterable[Appeal]) -> Collected:
    return {
        "listings": {x.listing_id: [x.status, x.status_label, x.notice_id] for x in listings},
        "notices": {n.notice_id: sorted(n.listing_ids) for n in notices},
        "appeals": {a.appeal_id: a.status for a in appeals},
    }


def from_contract(data: dict[str, Any]) -> Collected:
    """The same shape from `autofill scan --json` output."""
    return {
        "listings": {x["listing_id"]: [x["status"], x["status_label"], x["notice_id"]]
                     for x in data["listings"]},
        "notices": {n["notice_id"]: sorted(n["listing_ids"]) for n in data["notices"]},
        "appeals": {a["appeal_id"]: a["status"] for a in data["appeals"]},
    }


def merge_notices(from_notifications: dict[str, Notice],
                  from_details: Iterable[Notice]) -> list[Notice]:
    """Notifications are the source; a notice seen only on product pages is added, its
    listings gathered from every product that names it (as the scan does)."""
    merged = dict(from_notifications)
    extra: dict[str, Notice] = {}
    for notice in from_details:
        if notice.notice_id in merged:
            continue
        known = extra.get(notice.notice_id)
        ids = (known.listing_ids if known else ()) + notice.listing_ids
        extra[notice.notice_id] = notice.model_copy(update={"listing_ids": ids})
    merged.update(extra)
    return list(merged.values())


def differences(a: Collected, b: Collected) -> list[str]:
    """Sentences naming what differs between two collections (empty when they agree)."""
    out = []
    for kind in ("listings", "notices", "appeals"):
        left, right = a[kind], b[kind]
        if set(left) != set(right):
            out.append(f"{kind}: {len(set(left) - set(right))} only in the first, "
                       f"{len(set(right) - set(left))} only in the second")
        changed = [k for k in set(left) & set(right) if left[k] != right[k]]
        if changed:
            out.append(f"{kind}: {len(changed)} differ, e.g. {changed[0]}: "
                       f"{left[changed[0]]} != {right[changed[0]]}")
    return out
