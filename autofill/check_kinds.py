"""The fixed set of check kinds the preflight engine knows: what each kind's rules may set
(params) and say (placeholders in their message and fix templates).

A rulepack rule names one of these kinds; autofill/preflight/ implements each (CHECKS mirrors
KINDS, and a test keeps them equal). Adding a kind means a params model here and a function there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from autofill.bundle import (
    AuthorizationEvidence,
    CertificateEvidence,
    Confirmations,
    DocumentEvidence,
)
from autofill.evidence import Problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(_Strict):
    pass


class LengthParams(_Strict):
    limit: Literal["recommended", "hard"]


class CitesParams(_Strict):
    field: Literal["notice_id", "rule_ref"]


class PhrasesParams(_Strict):
    phrases: str  # a group name under `phrases:`


class EvidenceLevelParams(_Strict):
    level: Literal["required", "recommended"]


class FileCountParams(_Strict):
    bound: Literal["min", "max"]


class IntegrityParams(_Strict):
    problems: tuple[Problem, ...] = Field(min_length=1)


def _compiles(value: str, what: str) -> str:
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"not a valid regular expression for {what}: {err}") from err
    return value


class WindowParams(_Strict):
    window_days: int = Field(default=0, ge=0)  # 0: already past; N: within N days from now


_NOT_FACTS = ("file", "kind", "note")  # evidence fields that are not facts about the file


class FactsParams(_Strict):
    """Per evidence kind, the facts case.yaml must give for it: a certificate's issuer, a chat
    screenshot's buyer_id, a screenshot's shows_timestamp (a declared `false` counts as missing)."""

    required: dict[str, tuple[str, ...]] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_facts(self) -> FactsParams:
        models: dict[str, type[BaseModel]] = {
            "certificate": CertificateEvidence,
            "authorization": AuthorizationEvidence,
        }
        for kind, names in self.required.items():
            model = models.get(kind, DocumentEvidence)
            unknown = [n for n in names if n not in model.model_fields or n in _NOT_FACTS]
            if unknown:
                raise ValueError(f"{kind} has no fact '{unknown[0]}'")
        return self


class NoticeAppealableParams(_Strict):
    """Which non-appealable violations the rule speaks for, by their `refusal` key; none: those
    the pack gives no reason for (or whose notice the platform itself marks as not appealable)."""

    refusals: tuple[str, ...] = ()


class SubmissionLimitParams(_Strict):
    """At most `limit` submissions of this kind: appeals per notice, or supplements per appeal,
    counted from the scanned appeals and the ledgers of the workspace's cases."""

    submission: Literal["appeal", "supplement"]
    limit: int = Field(ge=1)


class DeliveryWindowParams(_Strict):
    """A window of `hours` after the notice's delivery (a 'golden' first response time); the
    rule fires inside it, or with closing_within_hours only in its last hours."""

    hours: int = Field(gt=0)
    closing_within_hours: float = Field(default=0, ge=0)


class AccountFigureParams(_Strict):
    """A figure the scan read off the account (KYC, verification, exam...) must match `pattern`."""

    figure: str = Field(min_length=1)
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        return _compiles(value, "pattern")


class ReportFieldParams(_Strict):
    """A report's own field: required, and/or each value matching `pattern` (whole value); with
    report_types, only for reports of those types."""

    field: Literal["target", "order_numbers"]
    required: bool = False
    pattern: str | None = None
    report_types: tuple[str, ...] = ()

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        return None if value is None else _compiles(value, "pattern")

    @model_validator(mode="after")
    def _something(self) -> ReportFieldParams:
        if not self.required and self.pattern is None:
            raise ValueError("give required: true or a pattern")
        return self


class ChainParams(_Strict):
    problem: Literal["levels", "link"]


class NoticeMatchParams(_Strict):
    field: Literal["store", "platform"]


class ConfirmationParams(_Strict):
    field: str
    when_kinds: tuple[str, ...] = ()  # only when the bundle holds evidence of one of these kinds

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in Confirmations.model_fields:
            raise ValueError(f"expected one of {', '.join(Confirmations.model_fields)}")
        return value


@dataclass(frozen=True)
class CheckKind:
    """What a rule of this kind may set (params) and say (placeholders in message and fix)."""

    params: type[BaseModel]
    placeholders: frozenset[str] = frozenset()


def _kind(params: type[BaseModel] = NoParams, *names: str) -> CheckKind:
    return CheckKind(params, frozenset(names))


# Every template may also use these.
COMMON_PLACEHOLDERS = frozenset(
    {
        "case", "store", "platform", "notice_id", "rule_ref", "violation_type", "appeal_type",
        "report_type", "target",
    }
)

KINDS: dict[str, CheckKind] = {
    # statement
    "statement_present": _kind(),
    "statement_placeholder": _kind(NoParams, "placeholder"),
    "statement_language": _kind(NoParams, "sample", "language"),
    "statement_length": _kind(LengthParams, "length", "limit"),
    "statement_cites": _kind(CitesParams, "value"),
    "statement_phrases": _kind(PhrasesParams, "phrase"),
    "statement_near_duplicate": _kind(NoParams, "other_case", "similarity"),
    # appeal type and evidence checklist
    "notice_appealable": _kind(NoticeAppealableParams),
    "appeal_type": _kind(NoParams, "options"),
    "evidence_required": _kind(EvidenceLevelParams, "requirement"),
    "evidence_kind_known": _kind(NoParams, "kind", "known"),
    # files
    "file_count": _kind(FileCountParams, "count", "limit", "field"),
    "file_type": _kind(NoParams, "name", "real_type", "accepted", "field"),
    "file_integrity": _kind(IntegrityParams, "name", "detail"),
    "file_size": _kind(NoParams, "name", "size_mb", "limit_mb", "field"),
    "file_name": _kind(NoParams, "name", "bad_chars"),
    "file_dpi": _kind(NoParams, "name", "dpi", "min_dpi", "basis"),
    "file_duplicate": _kind(NoParams, "name", "other"),
    # what the evidence says: declared facts, validity, models, authorizations
    "evidence_facts": _kind(FactsParams, "name", "missing"),
    "expiry": _kind(WindowParams, "name", "expires", "days_left"),
    "certificate_models": _kind(NoParams, "name", "model", "listing_id", "models"),
    "authorization_licensee": _kind(NoParams, "name", "licensee", "legal_name"),
    "authorization_chain": _kind(ChainParams, "name", "level", "expected", "found", "missing"),
    # the notice, the store and what happened before
    "notice_known": _kind(),
    "notice_match": _kind(NoticeMatchParams, "expected", "found"),
    "listing_in_notice": _kind(NoParams, "listing_id"),
    "appeal_deadline": _kind(WindowParams, "deadline", "days_left", "hours_left"),
    "delivery_window": _kind(DeliveryWindowParams, "delivered", "ends", "hours_left"),
    "account_state": _kind(NoParams, "state"),
    "account_figure": _kind(AccountFigureParams, "figure", "value"),
    "store_scanned": _kind(),
    "appeal_pending": _kind(NoParams, "appeal_id", "status", "business_days"),
    "info_request_overdue": _kind(NoParams, "appeal_id", "deadline", "business_days"),
    "evidence_resubmitted": _kind(NoParams, "appeal_id", "at"),
    "statement_resubmitted": _kind(NoParams, "appeal_id", "at"),
    "submission_limit": _kind(SubmissionLimitParams, "appeal_id", "status", "count", "limit"),
    # reports
    "report_field": _kind(ReportFieldParams, "field", "value"),
    # what only a human can confirm
    "confirmation": _kind(ConfirmationParams, "field"),
}
