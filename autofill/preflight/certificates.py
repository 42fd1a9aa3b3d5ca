"""Checks on what the evidence says: the facts case.yaml must declare about each file (a
certificate's issuer, a screenshot's timestamp, a chat record's buyer ID), still valid, and (for
certificates) covering the model of every listing in the case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from autofill.bundle import AppealCase, Case, CertificateEvidence
from autofill.check_kinds import FactsParams, WindowParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit, evidence_where
from autofill.preflight.text import has_placeholder, squash
from autofill.rulepack import Rule


def evidence_facts(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    required = rule.typed_params(FactsParams).required
    pattern = ctx.rulepack.statement.placeholder_pattern
    for index, item in enumerate(case.evidence):
        names = required.get(item.kind, ())
        missing = [n for n in names if _blank(getattr(item, n, None), pattern)]
        if missing:
            yield Hit(
                evidence_where(index, item.file),
                {"name": item.file, "missing": ", ".join(missing)},
            )


def _blank(value: object, pattern: str) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return not value  # a declared "no" (shows_timestamp: false) is the fact missing
    if isinstance(value, str):
        return not value.strip() or has_placeholder(value, pattern)
    if isinstance(value, tuple):
        return not value or all(_blank(v, pattern) for v in value)
    return False


def expiry(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    window = rule.typed_params(WindowParams).window_days
    today = ctx.now.date()
    for index, item in enumerate(case.evidence):
        expires = getattr(item, "expires", None)
        if not isinstance(expires, date):
            continue
        days_left = (expires - today).days
        if (window == 0 and days_left < 0) or (window > 0 and 0 <= days_left < window):
            yield Hit(
                evidence_where(index, item.file, "expires"),
                {"name": item.file, "expires": expires.isoformat(), "days_left": days_left},
            )


def certificate_models(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if not isinstance(case, AppealCase):
        return  # only an appeal names listings
    for index, item in enumerate(case.evidence):
        if not isinstance(item, CertificateEvidence) or not item.models:
            continue  # no models given: evidence_facts reports it
        covered = {squash(m) for m in item.models}
        for listing_id in case.listing_ids:
            listing = ctx.listings.get(listing_id)
            if listing is None or not listing.model.strip():
                continue
            if squash(listing.model) not in covered:
                yield Hit(
                    evidence_where(index, item.file, "models"),
                    {
                        "name": item.file,
                        "model": listing.model,
                        "listing_id": listing_id,
                        "models": ", ".join(item.models),
                    },
                )


CHECKS: dict[str, CheckFn] = {
    "evidence_facts": evidence_facts,
    "expiry": expiry,
    "certificate_models": certificate_models,
}
