"""Checks on the statement: present, finished, in the right language, short, citing, not
promising or pleading what the platform holds against the seller, not templated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from autofill.bundle import AppealCase, Case
from autofill.check_kinds import CitesParams, LengthParams, PhrasesParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.preflight.text import (
    cites,
    foreign_for_english,
    has_han,
    has_placeholder,
    jaccard,
    shingles,
)
from autofill.rulepack import Rule

WHERE = "statement"


def statement_present(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if not case.statement.strip():
        yield Hit(WHERE)


def statement_placeholder(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    seen: set[str] = set()
    for match in re.finditer(ctx.rulepack.statement.placeholder_pattern, case.statement):
        if match.group(0) not in seen:
            seen.add(match.group(0))
            yield Hit(WHERE, {"placeholder": match.group(0)})


def statement_language(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    language = ctx.rulepack.statement.language
    text = case.statement
    if language == "en":
        sample = foreign_for_english(text)
        if sample:
            yield Hit(WHERE, {"sample": sample, "language": language})
    elif language == "zh" and text.strip() and not has_han(text):
        yield Hit(WHERE, {"sample": text.strip()[:12], "language": language})


def statement_length(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    limits = ctx.rulepack.statement
    length = len(case.statement.strip())
    if rule.typed_params(LengthParams).limit == "hard":
        if length > limits.max_chars:
            yield Hit(WHERE, {"length": length, "limit": limits.max_chars})
    elif limits.recommended_chars < length <= limits.max_chars:
        yield Hit(WHERE, {"length": length, "limit": limits.recommended_chars})


def statement_cites(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if not case.statement.strip():
        return
    field = rule.typed_params(CitesParams).field
    if field == "notice_id":
        value = case.notice_id if isinstance(case, AppealCase) else ""
    else:
        value = ctx.notice.rule_ref if ctx.notice else ""
    if value and not cites(case.statement, value):
        yield Hit(WHERE, {"value": value})


def statement_phrases(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    group = ctx.rulepack.phrases[rule.typed_params(PhrasesParams).phrases]
    for pattern in group:
        match = re.search(pattern, case.statement, re.IGNORECASE)
        if match:
            yield Hit(WHERE, {"phrase": match.group(0)})
            return


def statement_near_duplicate(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    pattern = ctx.rulepack.statement.placeholder_pattern
    if not case.statement.strip() or has_placeholder(case.statement, pattern):
        return  # an unfinished draft is reported as such; drafts all look alike
    mine = shingles(case.statement)
    threshold = ctx.rulepack.statement.near_duplicate_threshold
    best: tuple[float, str] | None = None
    for other in ctx.other_statements:
        if has_placeholder(other.text, pattern):
            continue
        score = jaccard(mine, other.shingles, threshold)
        if score >= threshold and (
            best is None or score > best[0]
        ):
            best = (score, other.case_id)
    if best:
        yield Hit(WHERE, {"other_case": best[1], "similarity": f"{best[0]:.0%}"})


CHECKS: dict[str, CheckFn] = {
    "statement_present": statement_present,
    "statement_placeholder": statement_placeholder,
    "statement_language": statement_language,
    "statement_length": statement_length,
    "statement_cites": statement_cites,
    "statement_phrases": statement_phrases,
    "statement_near_duplicate": statement_near_duplicate,
}
