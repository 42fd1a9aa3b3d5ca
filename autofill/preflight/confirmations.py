"""What no program can verify (a stamp or signature page, unedited documents) is asked as an
explicit confirmation in case.yaml; these checks report each one until the seller confirms it."""

from __future__ import annotations

from collections.abc import Iterator

from autofill.bundle import Case
from autofill.check_kinds import ConfirmationParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.rulepack import Rule


def confirmation(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    params = rule.typed_params(ConfirmationParams)
    if params.when_kinds and not any(e.kind in params.when_kinds for e in case.evidence):
        return
    if not getattr(case.confirmations, params.field):
        yield Hit(f"confirmations.{params.field}", {"field": params.field})


CHECKS: dict[str, CheckFn] = {"confirmation": confirmation}
