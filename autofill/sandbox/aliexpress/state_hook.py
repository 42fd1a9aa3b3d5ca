"""Test switches (POST /__sandbox__/aliexpress/state): clock, an appeal's fate, form, account.

Raises ValueError with a sentence naming the bad key or value; nothing changes in that case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from autofill.sandbox.aliexpress.catalogue import (
    APPEAL_STATUSES,
    DEFICIENCIES,
    INFO_REQUEST_HOURS,
    INFO_REQUEST_TEXT,
)
from autofill.sandbox.aliexpress.forms import FORM_VARIANTS
from autofill.sandbox.aliexpress.models import Account, World
from autofill.sandbox.clock import SandboxClock, parse_iso

_ACCOUNT_VALUES: dict[str, tuple[str, ...]] = {
    "enterprise_verification": ("已认证", "审核中", "未认证"),
    "corporate_account": ("已绑定", "未绑定"),
    "kyc": ("已完成", "审核中", "未完成"),
    "state": ("正常", "冻结中"),
}
_KEYS = {"now", "appeal", "form_variant", "account"}
Change = Callable[[], None]


def apply_state(world: World, clock: SandboxClock, payload: dict[str, Any]) -> None:
    """Check the whole payload first, then apply it."""
    if not isinstance(payload, dict):
        raise ValueError("state must be a JSON object")
    unknown = set(payload) - _KEYS
    if unknown:
        raise ValueError(
            f"unknown state keys: {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})"
        )
    changes: list[Change] = []
    if "now" in payload:
        raw = payload["now"]
        value = None if raw is None else _time(raw, "now")
        changes.append(lambda: clock.set(value))
    if "form_variant" in payload:
        variant = payload["form_variant"]
        if variant is not None and variant not in FORM_VARIANTS:
            raise ValueError(f"form_variant must be one of {', '.join(FORM_VARIANTS)} or null")
        changes.append(lambda: setattr(world, "form_variant", variant))
    if "account" in payload:
        changes.append(_account_change(world.account, payload["account"]))
    if "appeal" in payload:
        changes.append(_appeal_change(world, clock, payload["appeal"]))
    for change in changes:
        change()


def _account_change(account: Account, switch: Any) -> Change:
    if not isinstance(switch, dict):
        raise ValueError("account must be an object")
    updates: dict[str, Any] = {}
    for key, value in switch.items():
        if key == "exam_score":
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100
            ):
                raise ValueError("account.exam_score must be a whole number 0-100 or null")
        elif key in _ACCOUNT_VALUES:
            if value not in _ACCOUNT_VALUES[key]:
                raise ValueError(f"account.{key} must be one of {', '.join(_ACCOUNT_VALUES[key])}")
        else:
            raise ValueError(f"unknown account switch: {key}")
        updates[key] = value
    def change() -> None:
        for key, value in updates.items():
            setattr(account, key, value)

    return change


def _appeal_change(world: World, clock: SandboxClock, switch: Any) -> Change:
    if not isinstance(switch, dict):
        raise ValueError("appeal must be an object")
    unknown = set(switch) - {"appeal_id", "status", "rejection_code", "info_request_deadline"}
    if unknown:
        raise ValueError(f"unknown appeal switches: {', '.join(sorted(unknown))}")
    appeal = world.appeal(str(switch.get("appeal_id", "")))
    if appeal is None:
        raise ValueError(f"no appeal {switch.get('appeal_id')!r}")
    status = appeal.status
    if "status" in switch:
        status = _status_key(switch["status"])
    code = switch.get("rejection_code")
    if code is not None and code not in DEFICIENCIES:
        raise ValueError(f"rejection_code must be one of {', '.join(sorted(DEFICIENCIES))}")
    deadline = None
    if switch.get("info_request_deadline") is not None:
        deadline = _time(switch["info_request_deadline"], "appeal.info_request_deadline")

    def change() -> None:
        appeal.status = status
        if status == "info_requested":
            appeal.info_request_deadline = deadline or clock.now() + timedelta(
                hours=INFO_REQUEST_HOURS
            )
            appeal.info_request_text = appeal.info_request_text or INFO_REQUEST_TEXT
        if status == "rejected":
            appeal.rejection_code = code or appeal.rejection_code or "EDC-207"

    return change


def _status_key(value: Any) -> str:
    if value in APPEAL_STATUSES:
        return str(value)
    by_label = {label: key for key, label in APPEAL_STATUSES.items()}
    if value in by_label:
        return by_label[value]
    raise ValueError(f"appeal.status must be one of {', '.join(APPEAL_STATUSES)} or their labels")


def _time(raw: Any, name: str) -> datetime:
    if not isinstance(raw, str):
        raise ValueError(f"{name} must be an ISO 8601 time")
    try:
        return parse_iso(raw)
    except ValueError:
        raise ValueError(f"{name} must be an ISO 8601 time, got {raw!r}") from None
