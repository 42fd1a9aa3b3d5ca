"""The three forms the site takes (申诉, 补充材料, 举报): their fields, variants and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.datastructures import FormData

from autofill.sandbox.aliexpress.catalogue import REPORT_TYPES
from autofill.sandbox.aliexpress.uploads import (
    EVIDENCE,
    EVIDENCE_NO_PDF,
    REPORT_IMAGES,
    REPORT_VIDEOS,
    FileRule,
    StoredFile,
    check_files,
    chosen_files,
)

MAX_TEXT = 500
FORM_VARIANTS = ("renamed_field", "new_required_field", "dropped_file_type")
_ORDER_NUMBER = re.compile(r"^\d{12,20}$")


@dataclass(frozen=True)
class AppealFormShape:
    """The appeal form as the current variant draws it (SPEC: form variants)."""

    statement_name: str = "statement"
    statement_label: str = "申诉说明"
    phone_required: bool = False
    rule: FileRule = EVIDENCE

    @property
    def file_hint(self) -> str:
        kinds = "JPG、PNG、PDF" if "pdf" in self.rule.kinds else "JPG、PNG"
        return f"支持 {kinds} 格式,最多5个文件,单个文件不超过5MB。"


def appeal_form_shape(variant: str | None) -> AppealFormShape:
    if variant == "renamed_field":
        return AppealFormShape(statement_name="description", statement_label="申诉描述")
    if variant == "new_required_field":
        return AppealFormShape(phone_required=True)
    if variant == "dropped_file_type":
        return AppealFormShape(rule=EVIDENCE_NO_PDF)
    return AppealFormShape()


@dataclass
class Submitted:
    """A parsed form: the text values as sent, the files kept, and the problems found."""

    values: dict[str, str] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _check_statement(text: str, empty: str, too_long: str, errors: list[str]) -> None:
    if not text:
        errors.append(empty)
    elif len(text) > MAX_TEXT:
        errors.append(too_long)


async def read_appeal(
    form: FormData, shape: AppealFormShape, reasons: tuple[str, ...]
) -> Submitted:
    out = Submitted()
    reason = _text(form, "reason")
    statement = _text(form, shape.statement_name)
    out.values = {"reason": reason, "statement": statement}
    if reason not in reasons:
        out.errors.append("请选择申诉理由。")
    _check_statement(
        statement,
        f"请填写{shape.statement_label}。",
        f"{shape.statement_label}不能超过{MAX_TEXT}字。",
        out.errors,
    )
    if shape.phone_required:
        phone = _text(form, "phone")
        out.values["phone"] = phone
        if not phone:
            out.errors.append("请填写联系电话。")
    await _evidence(form, "evidence", "证据材料", shape.rule, out)
    return out


async def read_supplement(form: FormData) -> Submitted:
    out = Submitted()
    statement = _text(form, "statement")
    out.values = {"statement": statement}
    _check_statement(statement, "请填写补充说明。", f"补充说明不能超过{MAX_TEXT}字。", out.errors)
    await _evidence(form, "evidence", "补充证据", EVIDENCE, out)
    return out


async def _evidence(form: FormData, name: str, label: str, rule: FileRule, out: Submitted) -> None:
    files = chosen_files(form, name)
    if not files:
        out.errors.append("请上传至少一个证据材料。")
        return
    out.files += await check_files(
        files, name, label, rule, out.errors, too_many=f"最多上传{rule.max_files}个文件。"
    )


REPORT_FILE_FIELDS: tuple[tuple[str, str, FileRule], ...] = (
    ("images", "图片证据", REPORT_IMAGES),
    ("videos", "视频证据", REPORT_VIDEOS),
    ("chats", "聊天记录截图", REPORT_IMAGES),
)


async def read_report(form: FormData) -> Submitted:
    out = Submitted()
    values = {
        k: _text(form, k)
        for k in ("report_type", "reported_store", "product_link", "order_numbers", "statement")
    }
    out.values = values
    errors = out.errors
    if values["report_type"] not in REPORT_TYPES:
        errors.append("请选择举报类型。")
    if not values["reported_store"] and not values["product_link"]:
        errors.append("请填写被举报店铺或商品链接。")
    if values["product_link"] and not _is_aliexpress_link(values["product_link"]):
        errors.append(
            "商品链接格式不正确,请填写速卖通商品链接"
            "(如 https://www.aliexpress.com/item/1005006123456789.html)。"
        )
    for number in split_order_numbers(values["order_numbers"]):
        if not _ORDER_NUMBER.match(number):
            errors.append(f"订单号格式不正确:{number}。")
    if values["report_type"] == "刷单" and not values["order_numbers"]:
        errors.append("举报刷单须填写相关订单号。")
    _check_statement(
        values["statement"], "请填写举报说明。", f"举报说明不能超过{MAX_TEXT}字。", errors
    )
    chosen = {name: chosen_files(form, name) for name, _, _ in REPORT_FILE_FIELDS}
    if not chosen["images"] and not chosen["videos"]:
        errors.append("请上传至少一个图片或视频证据。")
    for name, label, rule in REPORT_FILE_FIELDS:
        out.files += await check_files(chosen[name], name, label, rule, errors)
    return out


def split_order_numbers(text: str) -> list[str]:
    """Order numbers as typed: separated by commas (either width), spaces or new lines."""
    return [part for part in re.split(r"[,,、\s]+", text) if part]


def _is_aliexpress_link(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and "aliexpress." in (parts.hostname or "")
