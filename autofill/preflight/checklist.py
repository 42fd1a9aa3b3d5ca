"""Checks that the case answers its violation: appealable, a valid appeal type, and the evidence
kinds the rulepack's checklist asks for (a CE certificate alone does not answer a missing label)."""

from __future__ import annotations

from collections.abc import Iterator

from autofill.bundle import Case
from autofill.check_kinds import EvidenceLevelParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.rulepack import Rule


def notice_appealable(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    violation = ctx.violation
    if ctx.notice and violation and not (ctx.notice.appealable and violation.appealable):
        yield Hit(f"notice {ctx.notice.notice_id}")


def appeal_type(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    violation = ctx.violation
    if violation is None or not violation.appealable or ctx.notice is None:
        return
    if not ctx.notice.appealable:
        return
    if violation.option(case.appeal_type) is None:
        yield Hit("appeal_type", {"options": "; ".join(o.label for o in violation.appeal_types)})


def evidence_required(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    violation = ctx.violation
    if violation is None or not violation.appealable:
        return
    level = rule.typed_params(EvidenceLevelParams).level
    for requirement in violation.requirements(case.appeal_type):
        if requirement.level != level:
            continue
        if not any(
            requirement.satisfied_by(item.kind, getattr(item, "standard", None))
            for item in case.evidence
        ):
            yield Hit("evidence", {"requirement": ctx.rulepack.requirement_label(requirement)})


def evidence_kind_known(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    known = ctx.rulepack.evidence_kinds
    for index, item in enumerate(case.evidence):
        if item.kind not in known:
            yield Hit(
                f"evidence[{index}].kind: {item.file}",
                {"kind": item.kind, "known": ", ".join(known)},
            )


CHECKS: dict[str, CheckFn] = {
    "notice_appealable": notice_appealable,
    "appeal_type": appeal_type,
    "evidence_required": evidence_required,
    "evidence_kind_known": evidence_kind_known,
}
