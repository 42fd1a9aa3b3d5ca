"""What a check reports: a Hit (where, facts) from the check, a Finding (rendered) for people."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from autofill.bundle import Case
    from autofill.preflight.context import CheckContext
    from autofill.rulepack import Rule


@dataclass(frozen=True)
class Hit:
    """One problem a check found: where it is, and the facts its rule's templates may use."""

    where: str
    facts: Mapping[str, object] = field(default_factory=dict)


class Finding(BaseModel):
    """One rule's finding, with message and fix rendered in one language (the check contract)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Literal["error", "warning"]
    where: str
    message: str
    fix: str


def evidence_where(index: int, file: str, field_name: str | None = None) -> str:
    """'evidence[2]: ce.pdf' or 'evidence[2].expires: ce.pdf'."""
    return f"evidence[{index}]{'.' + field_name if field_name else ''}: {file}"


CheckFn = Callable[["Rule", "Case", "CheckContext"], Iterable[Hit]]
"""A check kind's implementation: given the rule (params via typed_params), case and context."""
