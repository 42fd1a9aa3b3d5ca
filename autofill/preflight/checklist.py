"""Checks that the case answers its violation: appealable, a valid appeal type, and the evidence
kinds the rulepack's checklist asks for (a CE certificate alone does not answer a missing label)."""

from __future__ import annotations

from collections.abc import Iterator

from autofill.bundle import Case, ReportCase
from autofill.check_kinds import EvidenceLevelParams, NoticeAppealableParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.rulepack import AppealTypeOption, EvidenceRequirement, Rule


def notice_appealable(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    violation = ctx.violation
    if not ctx.notice or not violation or (ctx.notice.appealable and violation.appealable):
        return
    refusals = rule.typed_params(NoticeAppealableParams).refusals
    # a rule naming refusals speaks for those; one without, for every other final decision
    reason = violation.refusal if not violation.appealable else None
    if (reason in refusals) if refusals else (reason is None):
        yield Hit(f"notice {ctx.notice.notice_id}")


def _choice(case: Case, ctx: CheckContext) -> tuple[str, str, tuple[AppealTypeOption, ...]] | None:
    """(field, chosen label, options offered) of the form's type select: the appeal type for
    this violation, or the report type; None when there is nothing to choose (yet)."""
    if isinstance(case, ReportCase):
        reports = ctx.rulepack.reports
        return ("report_type", case.report_type, reports.types) if reports else None
    violation = ctx.violation
    if violation is None or not violation.appealable or ctx.notice is None:
        return None
    if not ctx.notice.appealable:
        return None
    return "appeal_type", case.appeal_type, violation.appeal_types


def appeal_type(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    choice = _choice(case, ctx)
    if choice is None:
        return
    field, chosen, options = choice
    if all(o.label != chosen for o in options):
        yield Hit(field, {"options": "; ".join(o.label for o in options)})


def _requirements(case: Case, ctx: CheckContext) -> tuple[EvidenceRequirement, ...]:
    if isinstance(case, ReportCase):
        reports = ctx.rulepack.reports
        return reports.requirements(case.report_type) if reports else ()
    violation = ctx.violation
    if violation is None or not violation.appealable:
        return ()
    return violation.requirements(case.appeal_type)


def evidence_required(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    level = rule.typed_params(EvidenceLevelParams).level
    for requirement in _requirements(case, ctx):
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
