"""The fixed set of check kinds the preflight engine knows: what each kind's rules may set
(params) and say (placeholders in their message and fix templates).

A rulepack rule names one of these kinds; autofill/preflight/ implements each (CHECKS mirrors
KINDS, and a test keeps them equal). Adding a kind means a params model here and a function there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from autofill.bundle import AuthorizationEvidence, CertificateEvidence, Confirmations
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


class WindowParams(_Strict):
    window_days: int = Field(default=0, ge=0)  # 0: already past; N: within N days from now


class FactsParams(_Strict):
    """Per evidence kind (certificate, authorization), the facts case.yaml must give."""

    required: dict[str, tuple[str, ...]] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_facts(self) -> FactsParams:
        models: dict[str, type[BaseModel]] = {
            "certificate": CertificateEvidence,
            "authorization": AuthorizationEvidence,
        }
        for kind, names in self.required.items():
            model = models.get(kind)
            if model is None:
                raise ValueError(f"facts can be required for {' and '.join(models)}, not {kind}")
            unknown = [n for n in names if n not in model.model_fields or n in ("file", "kind")]
            if unknown:
                raise ValueError(f"{kind} has no fact '{unknown[0]}'")
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
    {"case", "store", "platform", "notice_id", "rule_ref", "violation_type", "appeal_type"}
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
    "notice_appealable": _kind(),
    "appeal_type": _kind(NoParams, "options"),
    "evidence_required": _kind(EvidenceLevelParams, "requirement"),
    "evidence_kind_known": _kind(NoParams, "kind", "known"),
    # files
    "file_count": _kind(FileCountParams, "count", "limit"),
    "file_type": _kind(NoParams, "name", "real_type", "accepted"),
    "file_integrity": _kind(IntegrityParams, "name", "detail"),
    "file_size": _kind(NoParams, "name", "size_mb", "limit_mb"),
    "file_name": _kind(NoParams, "name", "bad_chars"),
    "file_dpi": _kind(NoParams, "name", "dpi", "min_dpi", "basis"),
    "file_duplicate": _kind(NoParams, "name", "other"),
    # certificates and authorizations
    "evidence_facts": _kind(FactsParams, "name", "missing"),
    "expiry": _kind(WindowParams, "name", "expires", "days_left"),
    "certificate_models": _kind(NoParams, "name", "model", "listing_id", "models"),
    "authorization_licensee": _kind(NoParams, "name", "licensee", "legal_name"),
    "authorization_chain": _kind(ChainParams, "name", "level", "expected", "found", "missing"),
    # the notice, the store and what happened before
    "notice_known": _kind(),
    "notice_match": _kind(NoticeMatchParams, "expected", "found"),
    "listing_in_notice": _kind(NoParams, "listing_id"),
    "appeal_deadline": _kind(WindowParams, "deadline", "days_left"),
    "account_state": _kind(NoParams, "state"),
    "store_scanned": _kind(),
    "appeal_pending": _kind(NoParams, "appeal_id", "status", "business_days"),
    "info_request_overdue": _kind(NoParams, "appeal_id", "deadline", "business_days"),
    "evidence_resubmitted": _kind(NoParams, "appeal_id", "at"),
    "statement_resubmitted": _kind(NoParams, "appeal_id", "at"),
    # what only a human can confirm
    "confirmation": _kind(ConfirmationParams, "field"),
}
