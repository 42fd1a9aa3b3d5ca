"""Joom's words: product statuses, appeal statuses and the violation catalogue (SPEC.md).

Violation types, rule references, infraction codes and the notices' sentences are invented but
plausible (the real list of infraction codes is not public); the scenarios follow the seed
shared/seeds/joom-link-recovery.zh.txt (scenarios 1-8 and the FAQ).
"""

from __future__ import annotations

from dataclasses import dataclass

# product status key -> label shown on the pages
STATUS_LABELS: dict[str, str] = {
    "active": "Active",
    "warning": "Warning",
    "pending_review": "Pending Review",
    "processing": "Being processed by Joom",
    "rejected": "Rejected",
    "removed": "Removed",
    "inactive": "Inactive",
    "disabled_by_joom": "Disabled by Joom",
}
# product status key -> normalized status of the scan contract
NORMALIZED_STATUS: dict[str, str] = {
    "active": "active",
    "warning": "warning",
    "pending_review": "pending_review",
    "processing": "pending_review",
    "rejected": "rejected",
    "removed": "removed",
    "inactive": "inactive",
    "disabled_by_joom": "removed",
}
# the Status select of Products > All Products: (key, option label), in page order
STATUS_FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "All"),
    ("not_active", "Needs attention"),
    *((key, label) for key, label in STATUS_LABELS.items()),
)

APPEAL_STATUS_LABELS: dict[str, str] = {
    "submitted": "Submitted",
    "under_review": "Under Review",
    "info_requested": "Request for Additional Information",
    "approved": "Approved",
    "rejected": "Rejected",
    "closed": "Closed",
}
OPEN_APPEAL_STATUSES = frozenset({"submitted", "under_review", "info_requested"})
REJECTION_CODE = "EVD-INSUFFICIENT"
INFO_REQUEST_BUSINESS_DAYS = 5
APPEAL_WINDOW_DAYS = 14  # invented: Joom does not publish how long a notice stays appealable
INFO_REQUEST_KIND = "info_request"
INFO_REQUEST_TYPE = "Request for Additional Information"
HELP_CENTER_URL = "https://joom.com/en/help/merchants/policies"


@dataclass(frozen=True)
class Scenario:
    """One kind of notice: what Joom says, what it does to the listing, how it can be appealed."""

    key: str
    violation_type: str
    rule_ref: str
    status: str  # product status key of the listings it covers
    appeal_types: tuple[str, ...]  # empty: final decision
    notification_type: str
    infraction_code: str
    where: tuple[str, ...]  # where in the product the infraction was found
    products: tuple[int, ...]  # indices into PRODUCTS it is drawn from
    body: str
    certificate: str | None = None

    @property
    def appealable(self) -> bool:
        return bool(self.appeal_types)


# (category, noun, model prefix) of the generated products
PRODUCTS: tuple[tuple[str, str, str], ...] = (
    ("Electronics > Audio > Bluetooth Earphones", "Bluetooth Earphones", "TWS"),
    ("Electronics > Chargers", "USB-C Fast Charger", "CHG"),
    ("Electronics > Smart Home", "Wi-Fi Smart Plug", "SP"),
    ("Home & Garden > Lighting", "LED Desk Lamp", "LMP"),
    ("Home & Garden > Kitchen", "Stainless Steel Knife Set", "KS"),
    ("Toys > Electronic Toys", "Remote Control Car", "RC"),
    ("Baby & Kids > Toys", "Wooden Stacking Blocks", "WB"),
    ("Beauty > Tools", "Makeup Brush Set", "MB"),
    ("Fashion > Bags", "Canvas Tote Bag", "TB"),
    ("Sports > Fitness", "Resistance Bands Set", "RB"),
    ("Automotive > Accessories", "Car Phone Holder", "CPH"),
    ("Phones > Cases", "Shockproof Phone Case", "PC"),
)
ANY_PRODUCT = tuple(range(len(PRODUCTS)))
_REMOVED = "Product Removal"


def _certificate(key: str, name: str, cert: str, ref: str, products: tuple[int, ...]) -> Scenario:
    return Scenario(
        key, f"Missing Certificate: {name}", ref, "removed", ("Certificate provided",), _REMOVED,
        "missingCertificate", ("product",), products,
        f"We removed this product because it requires a {cert} document that has not been "
        "provided. Upload a valid document to restore the listing.",
        certificate=cert,
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "wrong_category", "Category Restriction: Listing Not Allowed in This Category", "JPLG-3.2",
        "removed", ("Wrong category decision", "Listing information corrected"), _REMOVED,
        "categoryRestricted", ("category",), (4, 7, 8, 9),
        "We removed this product because it is listed in a category where it is not allowed.",
    ),
    _certificate("ce", "CE Declaration of Conformity", "CE", "JCR-2.4", (1, 5)),
    _certificate("fcc", "FCC Authorization", "FCC", "JCR-2.5", (2, 0)),
    _certificate("ukca", "UKCA Declaration", "UKCA", "JCR-2.6", (3, 1)),
    _certificate("sar", "SAR Test Report (Bluetooth Earphones)", "SAR", "JCR-2.9", (0,)),
    Scenario(
        "safety_warning", "Policy Violation: Missing Safety Warning", "JPLG-5.1", "removed",
        ("Listing information corrected", "Certificate provided"), _REMOVED,
        "missingSafetyWarning", ("description", "image"), (5, 6),
        "We removed this product because its listing does not show the required safety warning.",
    ),
    Scenario(
        "brand", "Intellectual Property: Unauthorized Use of Brand", "JIP-1.2", "warning",
        ("Authorization provided", "Not infringing"), "Product Warning",
        "brandInfringement", ("title", "image", "description"), ANY_PRODUCT,
        "This product uses a brand name or logo without proof of authorization. Provide the "
        "authorization or remove the brand to avoid removal.",
    ),
    Scenario(
        "image", "Intellectual Property: Image Copyright Complaint", "JIP-1.4", "removed",
        ("Authorization provided", "Not infringing"), _REMOVED,
        "imageCopyright", ("image",), ANY_PRODUCT,
        "We removed this product after a copyright owner complained about its images.",
    ),
    Scenario(
        "logistics", "Counterfeit Risk: Logistics Anomaly", "JLG-6.3", "removed",
        ("Proof of authentic fulfilment",), _REMOVED,
        "logisticsAnomaly", ("variant",), ANY_PRODUCT,
        "We removed this product because its orders' tracking showed anomalies that suggest a "
        "counterfeit risk.",
    ),
    Scenario(
        "complaints", "Quality: High Buyer Complaint Rate", "JQ-7.1", "removed",
        ("Corrective action taken",), _REMOVED,
        "highComplaintRate", ("product", "variant"), ANY_PRODUCT,
        "We removed this product because buyers complained about it far more than usual.",
    ),
    Scenario(
        "rating", "Store Performance: Listing Visibility Reduced", "JSP-8.2", "inactive",
        ("Corrective action taken",), "Visibility Reduced",
        "lowStoreRating", ("product",), ANY_PRODUCT,
        "This product is hidden from search because your store's rating, return rate or dispute "
        "rate is below the required level.",
    ),
    Scenario(
        "incomplete_pending", "Listing Blocked: Incomplete Product Information", "JPLG-2.1",
        "pending_review", ("Listing information corrected",), _REMOVED,
        "incompleteInformation", ("title", "image", "variant"), ANY_PRODUCT,
        "This product was blocked because its title, attributes or main image are incomplete.",
    ),
    Scenario(
        "incomplete_rejected", "Listing Blocked: Incomplete Product Information", "JPLG-2.1",
        "rejected", ("Listing information corrected",), _REMOVED,
        "incompleteInformation", ("title", "image", "variant"), ANY_PRODUCT,
        "This product was blocked because its title, attributes or main image are incomplete.",
    ),
    Scenario(
        "misleading", "Policy Violation: Misleading Description", "JPLG-4.3", "removed",
        ("Listing information corrected",), _REMOVED,
        "misleadingDescription", ("title", "description"), ANY_PRODUCT,
        "We removed these products because their descriptions mislead buyers about what they get.",
    ),
    Scenario(
        "prohibited", "Prohibited Product", "JPP-1.1", "disabled_by_joom", (), _REMOVED,
        "prohibitedProduct", ("product",), ANY_PRODUCT,
        "This product is prohibited on Joom and has been disabled permanently.",
    ),
    Scenario(
        "retired", "Policy Violation", "JPLG-0.0", "removed", ("Other",), _REMOVED,
        "policyViolation", ("product",), ANY_PRODUCT,
        "This product violates Joom policies.",  # a retired reason keeps only a generic text
    ),
)
SCENARIOS_BY_KEY: dict[str, Scenario] = {s.key: s for s in SCENARIOS}
BATCH_SCENARIO = "misleading"
