"""The preflight engine: runs each rule of the pack with the check its kind names, and renders
what the checks found in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from autofill.bundle import AppealCase, Case
from autofill.preflight import (
    authorization,
    certificates,
    checklist,
    confirmations,
    files,
    history,
    reports,
    standing,
    statement,
)
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Finding, Hit
from autofill.rulepack import Rule, Text

CHECKS: dict[str, CheckFn] = {
    **statement.CHECKS,
    **checklist.CHECKS,
    **files.CHECKS,
    **certificates.CHECKS,
    **authorization.CHECKS,
    **history.CHECKS,
    **standing.CHECKS,
    **confirmations.CHECKS,
    **reports.CHECKS,
}


def run_checks(case: Case, ctx: CheckContext, lang: str = "en") -> list[Finding]:
    """Every rule of the pack that applies to `ctx.mode` (a new appeal, a supplement, a report),
    against the case: errors first, then warnings, each group in pack order."""
    common = _common_facts(case, ctx)
    findings: list[Finding] = []
    for rule in ctx.rulepack.rules:
        if ctx.mode not in rule.modes:
            continue
        check = CHECKS[rule.kind]  # the pack was validated against KINDS, which CHECKS mirrors
        for hit in check(rule, case, ctx):
            findings.append(render_hit(rule, hit, common, lang))
    findings.sort(key=lambda f: f.severity != "error")
    return findings


def render_hit(rule: Rule, hit: Hit, common: Mapping[str, object], lang: str) -> Finding:
    facts = {**common, **hit.facts}
    values = {name: _show(value, lang) for name, value in facts.items()}
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        where=hit.where,
        message=_fill(rule.message(lang), values),
        fix=_fill(rule.fix(lang), values),
    )


def _common_facts(case: Case, ctx: CheckContext) -> dict[str, object]:
    facts: dict[str, object] = {
        "case": case.case_id,
        "store": case.store,
        "platform": case.platform,
        "notice_id": "",
        "rule_ref": ctx.notice.rule_ref if ctx.notice else "",
        "violation_type": ctx.notice.violation_type if ctx.notice else "",
        "appeal_type": "",
        "report_type": "",
        "target": "",
    }
    if isinstance(case, AppealCase):
        facts.update(notice_id=case.notice_id, appeal_type=case.appeal_type)
    else:
        facts.update(report_type=case.report_type, target=case.target)
    return facts


def _show(value: object, lang: str) -> str:
    if isinstance(value, Text):
        return value(lang)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_show(v, lang) for v in value)
    return str(value)


class _Facts(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, values: Mapping[str, str]) -> str:
    return template.format_map(_Facts(values))
