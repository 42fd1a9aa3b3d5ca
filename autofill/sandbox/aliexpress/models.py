"""The AliExpress sandbox's records: products, penalty records, appeals, reports, the account.

Stored fields only; what depends on the clock (a record's status, an appeal auto-closing, the
appeal window) is computed on every read in policy.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from autofill.sandbox.aliexpress.catalogue import KINDS, ViolationKind


@dataclass
class Product:
    product_id: str
    sku: str
    title: str
    model: str
    category: str
    status: str  # catalogue.PRODUCT_STATUSES key
    offline_reason: str | None = None
    daily_gmv: float | None = None
    punish_id: str | None = None


@dataclass
class Record:
    """One 处罚记录; its notice (处罚通知) is delivered at `delivered_at`."""

    punish_id: str
    kind_key: str
    product_ids: list[str]
    delivered_at: datetime
    viewed_at: datetime | None = None
    brand: str | None = None

    @property
    def kind(self) -> ViolationKind:
        return KINDS[self.kind_key]


@dataclass
class Appeal:
    appeal_id: str
    punish_id: str
    reason: str  # 申诉理由
    statement: str
    status: str  # catalogue.APPEAL_STATUSES key as last set; info_requested may auto-close
    submitted_at: datetime
    info_request_deadline: datetime | None = None
    info_request_text: str | None = None
    rejection_code: str | None = None
    supplements_used: int = 0


@dataclass
class Report:
    """A report this store filed against another seller (我发起的举报)."""

    report_id: str
    report_type: str
    reported_store: str
    product_link: str
    order_numbers: list[str]
    statement: str
    status: str
    submitted_at: datetime
    file_names: list[str] = field(default_factory=list)


@dataclass
class ReportAgainst:
    """A report another seller filed against this store (被举报)."""

    report_id: str
    report_type: str
    product_id: str
    reported_at: datetime
    status: str  # 待处理 | 已处罚 | 不成立
    punish_id: str | None = None


@dataclass
class Account:
    state: str = "正常"
    enterprise_verification: str = "已认证"
    corporate_account: str = "已绑定"
    kyc: str = "已完成"
    exam_score: int | None = 95
    sms_alerts: str = "未开启"
    app_alerts: str = "已开启"


@dataclass
class Store:
    store_name: str = "Example Home Official Store"
    store_id: str = "1102345678"
    legal_name: str = "深圳市示例贸易有限公司"  # 公司名称 as registered in China
    legal_name_en: str = "Shenzhen Example Trading Co., Ltd."
    brand_seller: str = "是(R标)"
    email: str = "demo@seller.example"


@dataclass
class World:
    """Everything one AliExpress sandbox holds; lists keep their seeded order."""

    anchor: datetime
    products: list[Product]
    records: list[Record]
    appeals: list[Appeal]
    reports: list[Report]
    reported: list[ReportAgainst]
    account: Account = field(default_factory=Account)
    store: Store = field(default_factory=Store)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    form_variant: str | None = None

    def __post_init__(self) -> None:
        self._products = {p.product_id: p for p in self.products}
        self._records = {r.punish_id: r for r in self.records}
        self._appeals = {a.appeal_id: a for a in self.appeals}
        self._appeal_by_record = {a.punish_id: a for a in self.appeals}

    def product(self, product_id: str) -> Product | None:
        return self._products.get(product_id)

    def record(self, punish_id: str) -> Record | None:
        return self._records.get(punish_id)

    def appeal(self, appeal_id: str) -> Appeal | None:
        return self._appeals.get(appeal_id)

    def appeal_for(self, punish_id: str) -> Appeal | None:
        """The record's appeal (one appeal per record), if any."""
        return self._appeal_by_record.get(punish_id)

    def add_appeal(self, appeal: Appeal) -> None:
        self.appeals.insert(0, appeal)  # lists are newest first
        self._appeals[appeal.appeal_id] = appeal
        self._appeal_by_record[appeal.punish_id] = appeal

    def report(self, report_id: str) -> Report | None:
        return next((r for r in self.reports if r.report_id == report_id), None)
