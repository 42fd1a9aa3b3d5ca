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
from autofill.bundle import CASE_FILE, AppealCase, Case, ReportCase
from autofill.config import load_config
from autofill.errors import BadInput
from autofill.evidence import Inspection, inspect
from autofill.models import Account, Appeal, Listing, Notice
from autofill.preflight.text import shingles
from autofill.rulepack import FileRules, Mode, Rulepack, Violation, load_rulepack
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
    # a new appeal, a supplement answering a request for information, or a report
    mode: Mode = "appeal"

    @property
    def violation(self) -> Violation | None:
        return self.rulepack.violation_for(self.notice.violation_type) if self.notice else None

    @property
    def file_rules(self) -> FileRules:
        """The upload rules of the form this case goes through (the report form has its own)."""
        return self.rulepack.files_for(self.mode)


class CaseNotCheckable(BadInput):
    """This case cannot be checked as asked (a report on a platform without report rules...);
    unlike a broken rulepack, it concerns this case only."""


def mode_for(case: Case, mode: Mode | None = None) -> Mode:
    """The mode a case is checked in: a report is always a report (a new submission, asked as
    the default "appeal", is one too; a supplement is not); an appeal is a new appeal unless it
    is sent as a supplement."""
    if isinstance(case, ReportCase):
        if mode == "supplement":
            raise CaseNotCheckable(
                f"{case.case_dir / CASE_FILE}: a report case is checked as a report, "
                f"not as {mode}."
            )
        return "report"
    if mode == "report":
        raise CaseNotCheckable(
            f"{case.case_dir / CASE_FILE}: kind: appeal; only a case of kind report is a report."
        )
    return mode or "appeal"


def context_for(
    case: Case,
    workspace: Workspace,
    store: Store | None,
    *,
    rulepacks: Callable[[str], Rulepack] | None = None,
    now: datetime | None = None,
    index: WorkspaceIndex | None = None,
    mode: Mode | None = None,
) -> CheckContext:
    """Gather the context for `case` from the Store, the workspace and the evidence files.

    The rulepack is the one of the notice's store platform (the case's own platform when the
    notice is unknown), from `rulepacks(platform)`: load_rulepack with the workspace by default.
    `mode` defaults to the case's kind (a new appeal, or a report); BadInput when the platform's
    pack has no report rules for a report.
    """
    mode = mode_for(case, mode)
    index = index if index is not None else WorkspaceIndex.build(workspace)
    notice: Notice | None = None
    notice_store: str | None = None
    account: Account | None = None
    listings: dict[str, Listing] = {}
    appeals: list[Appeal] = []
    if store is not None and isinstance(case, ReportCase):
        account = store.account(case.store)  # a report concerns no notice of ours
    elif store is not None and isinstance(case, AppealCase):
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
    if mode == "report" and rulepack.reports is None:
        raise CaseNotCheckable(
            f"{case.case_dir / CASE_FILE}: kind: report, but the {platform} rulepack "
            f"({rulepack.origin}) has no report rules: {platform} reports are not supported.",
            "Reports are for platforms whose rulepack has a `reports` section (aliexpress).",
        )
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
        submissions=tuple(index.submissions.get(case.notice_id, ()))
        if isinstance(case, AppealCase)
        else (),
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
