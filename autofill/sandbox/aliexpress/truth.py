"""Ground truth with the scan contract's field names (GET /__sandbox__/truth, "aliexpress")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from autofill.sandbox.aliexpress import policy
from autofill.sandbox.aliexpress.catalogue import (
    APPEAL_STATUSES,
    PRODUCT_STATUSES,
    RECORD_STATUSES,
)
from autofill.sandbox.aliexpress.models import Record, World
from autofill.sandbox.clock import iso


def build_truth(world: World, now: datetime, base_url: str) -> dict[str, Any]:
    """Every product, record, appeal, submission and report; times ISO 8601 UTC with a Z."""
    base = base_url.rstrip("/")
    return {
        "listings": [
            {
                "listing_id": p.product_id,
                "sku": p.sku,
                "title": p.title,
                "model": p.model,
                "status": PRODUCT_STATUSES[p.status][1],
                "status_label": PRODUCT_STATUSES[p.status][0],
                "notice_id": p.punish_id,
                "url": f"{base}/m_apps/product/detail?productId={p.product_id}",
                "daily_gmv": p.daily_gmv,
                "offline_reason": p.offline_reason,
            }
            for p in world.products
        ],
        "notices": [_notice(world, r, now, base) for r in world.records],
        "appeals": [
            {
                "appeal_id": a.appeal_id,
                "notice_id": a.punish_id,
                "listing_id": _first_product(world, a.punish_id),
                "status": (status := policy.appeal_status(a, now)),
                "status_label": APPEAL_STATUSES[status],
                "submitted_at": iso(a.submitted_at),
                "info_request_deadline": iso(a.info_request_deadline)
                if status == "info_requested"
                else None,
                "rejection_code": a.rejection_code if status == "rejected" else None,
                "supplements_used": a.supplements_used,
                "appeal_type": a.reason,
            }
            for a in world.appeals
        ],
        "submissions": [dict(s) for s in world.submissions],
        "reports": [
            {
                "report_id": r.report_id,
                "report_type": r.report_type,
                "reported_store": r.reported_store,
                "product_link": r.product_link,
                "order_numbers": list(r.order_numbers),
                "statement": r.statement,
                "status": r.status,
                "submitted_at": iso(r.submitted_at),
                "files": list(r.file_names),
            }
            for r in world.reports
        ],
        "reported": [
            {
                "report_id": r.report_id,
                "report_type": r.report_type,
                "listing_id": r.product_id,
                "reported_at": iso(r.reported_at),
                "status": r.status,
                "notice_id": r.punish_id,
            }
            for r in world.reported
        ],
        "account": {
            "state": world.account.state,
            "enterprise_verification": world.account.enterprise_verification,
            "corporate_account": world.account.corporate_account,
            "kyc": world.account.kyc,
            "exam_score": world.account.exam_score,
            "points": policy.points(world, now),
            "counters": policy.counters(world, now),
        },
        "store": {
            "store_name": world.store.store_name,
            "store_id": world.store.store_id,
            "legal_name": world.store.legal_name,
            "legal_name_en": world.store.legal_name_en,
            "brand_seller": world.store.brand_seller,
        },
    }


def _notice(world: World, record: Record, now: datetime, base: str) -> dict[str, Any]:
    kind = record.kind
    status = policy.record_status(world, record, now)
    return {
        "notice_id": record.punish_id,
        "listing_ids": list(record.product_ids),
        "violation_type": kind.subcategory,
        "rule_ref": kind.rule_ref,
        "issued_at": iso(record.delivered_at),
        "appeal_deadline": iso(policy.appeal_deadline(record)),
        "appealable": kind.appealable,
        "appeal_open": status == "pending_appeal",
        "kind": kind.key,
        "points": kind.points,
        "tally": kind.tally,
        "category": kind.category_label,
        "subcategory": kind.subcategory,
        "status": status,
        "status_label": RECORD_STATUSES[status],
        "viewed_at": iso(record.viewed_at),
        "origin": kind.origin,
        "brand": record.brand,
        "ip_kind": kind.ip_kind,
        "url": f"{base}/m_apps/violation/pop-viodetail?punishId={record.punish_id}",
    }


def _first_product(world: World, punish_id: str) -> str:
    record = world.record(punish_id)
    return record.product_ids[0] if record else ""
