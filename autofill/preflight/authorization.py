"""Checks on brand authorizations: the chain runs level 1..n without gaps, each licensee is the
next licensor, and the last licensee is exactly the store's legal name (from the scan)."""

from __future__ import annotations

from collections.abc import Iterator

from autofill.bundle import AuthorizationEvidence, Case
from autofill.check_kinds import ChainParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit, evidence_where
from autofill.rulepack import Rule

Link = tuple[int, AuthorizationEvidence]


def _chains(case: Case) -> list[list[Link]]:
    """Authorizations grouped by brand (one chain per brand), each sorted by level."""
    groups: dict[str, list[Link]] = {}
    for index, item in enumerate(case.evidence):
        if isinstance(item, AuthorizationEvidence):
            brand = " ".join((item.brand or "").split()).casefold()
            groups.setdefault(brand, []).append((index, item))
    return [sorted(g, key=lambda link: link[1].level or 0) for g in groups.values()]


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip() == (b or "").strip()


def authorization_licensee(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    legal_name = (ctx.legal_name or "").strip()
    if not legal_name:
        return  # store_scanned reports that the legal name is unknown
    for chain in _chains(case):
        levels = [item.level for _, item in chain if item.level is not None]
        last = max(levels) if levels else None
        for index, item in chain:
            if item.level != last or not item.licensee:
                continue  # a missing licensee is reported by evidence_facts
            if not _same(item.licensee, legal_name):
                yield Hit(
                    evidence_where(index, item.file, "licensee"),
                    {"name": item.file, "licensee": item.licensee, "legal_name": legal_name},
                )


def authorization_chain(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    problem = rule.typed_params(ChainParams).problem
    for chain in _chains(case):
        leveled = [(i, item) for i, item in chain if item.level is not None]
        if not leveled:
            continue
        levels = {item.level for _, item in leveled}
        if problem == "levels":
            top = max(level for level in levels if level is not None)
            missing = [n for n in range(1, top + 1) if n not in levels]
            if missing:
                index, item = leveled[0]
                yield Hit(
                    "evidence",
                    {
                        "name": item.file,
                        "level": top,
                        "missing": ", ".join(map(str, missing)),
                        "expected": "",
                        "found": "",
                    },
                )
            continue
        by_level: dict[int, list[Link]] = {}
        for link in leveled:
            by_level.setdefault(link[1].level or 0, []).append(link)
        for level, links in sorted(by_level.items()):
            before = by_level.get(level - 1)
            if not before:
                continue
            licensees = [b.licensee for _, b in before if b.licensee]
            for index, item in links:
                if not item.licensor or not licensees:
                    continue
                if not any(_same(item.licensor, licensee) for licensee in licensees):
                    yield Hit(
                        evidence_where(index, item.file, "licensor"),
                        {
                            "name": item.file,
                            "level": level,
                            "expected": licensees[0],
                            "found": item.licensor,
                            "missing": "",
                        },
                    )


CHECKS: dict[str, CheckFn] = {
    "authorization_licensee": authorization_licensee,
    "authorization_chain": authorization_chain,
}
