"""What checks need from outside the bundle: the notice, listings, account, appeals, other cases,
what was sent before, and the evidence files' inspections. Built once per case from the Store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from autofill import ledger
from autofill.bundle import CASE_FILE, Case
from autofill.config import load_config
from autofill.evidence import Inspection, inspect
from autofill.models import Account, Appeal, Listing, Notice
from autofill.preflight.text import shingles
from autofill.rulepack import Mode, Rulepack, Violation, load_rulepack
from autofill.store import Store
from autofill.workspace import Workspace
from autofill.yamlfile import safe_load


@dataclass(frozen=True)
class OtherStatement:
    case_id: str
    case_dir: Path
    text: str
    shingles: frozenset[str]


@dataclass(frozen=True)
class StoreSettings:
    """A store's lines from autofill.toml that checks use."""

    platform: str | None = None
    legal_name: str | None = None


@dataclass
class WorkspaceIndex:
    """Facts about every case of a workspace, read once and shared by all the cases checked."""

    statements: list[OtherStatement] = field(default_factory=list)
    submissions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by notice id
    stores: dict[str, StoreSettings] = field(default_factory=dict)
    # Each store's listings by id, read from the Store once per run rather than once per case.
    listings: dict[str, dict[str, Listing]] = field(default_factory=dict)

    def listings_of(self, store: Store, name: str) -> dict[str, Listing]:
        if name not in self.listings:
            self.listings[name] = {
                x.listing_id: x for x in store.listings(name, open_only=False)
            }
        return self.listings[name]

    @classmethod
    def build(cls, workspace: Workspace) -> WorkspaceIndex:
        index = cls(stores=_store_settings(workspace))
        if not workspace.cases_dir.is_dir():
            return index
        for case_dir in sorted(p for p in workspace.cases_dir.iterdir() if p.is_dir()):
            statement = _statement_of(case_dir / CASE_FILE)
            if statement:
                other = OtherStatement(
                    case_dir.name, case_dir.resolve(), statement, shingles(statement)
                )
                index.statements.append(other)
            for entry in ledger.submissions(case_dir):
                notice_id = entry.get("notice_id")
                if isinstance(notice_id, str):
                    index.submissions.setdefault(notice_id, []).append(entry)
        return index


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at besides the case itself. Plain data: tests build it freely."""

    rulepack: Rulepack
    now: datetime
    notice: Notice | None = None
    notice_store: str | None = None  # the store the notice was found in
    store_platform: str | None = None  # that store's platform (autofill.toml)
    legal_name: str | None = None  # the store's legal name: from the scan, else autofill.toml
    account: Account | None = None
    listings: Mapping[str, Listing] = field(default_factory=dict)  # the case's listings by id
    appeals: Sequence[Appeal] = ()  # appeals for this notice
    other_statements: Sequence[OtherStatement] = ()  # other cases of the workspace
    submissions: Sequence[Mapping[str, Any]] = ()  # ledger: what was sent for this notice
    files: Sequence[Inspection] = ()  # evidence[i] inspected
    mode: Mode = "appeal"  # a new appeal, or a supplement answering a request for information

    @property
    def violation(self) -> Violation | None:
        return self.rulepack.violation_for(self.notice.violation_type) if self.notice else None


def context_for(
    case: Case,
    workspace: Workspace,
    store: Store | None,
    *,
    rulepacks: Callable[[str], Rulepack] | None = None,
    now: datetime | None = None,
    index: WorkspaceIndex | None = None,
    mode: Mode = "appeal",
) -> CheckContext:
    """Gather the context for `case` from the Store, the workspace and the evidence files.

    The rulepack is the one of the notice's store platform (the case's own platform when the
    notice is unknown), from `rulepacks(platform)`: load_rulepack with the workspace by default.
    """
    index = index if index is not None else WorkspaceIndex.build(workspace)
    notice: Notice | None = None
    notice_store: str | None = None
    account: Account | None = None
    listings: dict[str, Listing] = {}
    appeals: list[Appeal] = []
    if store is not None:
        notice = store.notice(case.store, case.notice_id)
        notice_store = case.store if notice else None
        if notice is None:
            found = store.find_notice(case.notice_id)
            if found:
                notice_store, notice = found
        owner = notice_store or case.store
        account = store.account(owner)
        known = index.listings_of(store, owner)
        listings = {i: known[i] for i in case.listing_ids if i in known}
        appeals = store.appeals_for_notice(owner, case.notice_id)
    settings = index.stores.get(notice_store or case.store, StoreSettings())
    platform = settings.platform or case.platform
    rulepack = rulepacks(platform) if rulepacks else load_rulepack(platform, workspace)
    legal_name = (account.legal_name if account and account.legal_name else None) or (
        settings.legal_name
    )
    here = case.case_dir.resolve()
    return CheckContext(
        rulepack=rulepack,
        now=now or datetime.now(timezone.utc),
        notice=notice,
        notice_store=notice_store,
        store_platform=settings.platform,
        legal_name=legal_name,
        account=account,
        listings=listings,
        appeals=tuple(appeals),
        other_statements=tuple(s for s in index.statements if s.case_dir != here),
        submissions=tuple(index.submissions.get(case.notice_id, ())),
        files=tuple(inspect(path) for path in case.evidence_paths()),
        mode=mode,
    )


def _statement_of(path: Path) -> str | None:
    """Another case's statement, read leniently: a broken case is reported by its own check."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError):
        return None
    statement = data.get("statement") if isinstance(data, dict) else None
    return statement if isinstance(statement, str) and statement.strip() else None


def _store_settings(workspace: Workspace) -> dict[str, StoreSettings]:
    """Each store's platform and legal name from autofill.toml; none for a bundle checked
    outside a workspace. A broken autofill.toml is a BadInput naming it (load_config)."""
    if not workspace.exists():
        return {}
    return {
        s.name: StoreSettings(s.platform, s.legal_name or None)
        for s in load_config(workspace).stores
    }
