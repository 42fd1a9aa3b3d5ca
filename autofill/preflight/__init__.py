"""Preflight: check a case bundle against its platform's rulepack before anything is sent.

`run_checks(case, ctx, lang)` runs every rule of `ctx.rulepack`; `context_for(case, workspace,
store)` gathers what the checks need from outside the bundle. Checks live in small modules by
subject (statement, checklist, files, certificates, authorization, history, standing,
confirmations, reports); the business rules and their parameters are data in the rulepack.
"""

from autofill.preflight.context import (
    CaseNotCheckable,
    CheckContext,
    WorkspaceIndex,
    context_for,
    mode_for,
)
from autofill.preflight.engine import CHECKS, run_checks
from autofill.preflight.findings import Finding, Hit

__all__ = [
    "CHECKS",
    "CaseNotCheckable",
    "CheckContext",
    "Finding",
    "Hit",
    "WorkspaceIndex",
    "context_for",
    "mode_for",
    "run_checks",
]
