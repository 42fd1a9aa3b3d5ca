"""Fixtures for preflight tests: a workspace with a scanned Joom store, and bundle builders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from autofill import evidence
from autofill.checking import CheckReport, check_case
from autofill.rulepack import Mode
from autofill.store import Store
from autofill.workspace import Workspace
from tests.preflight import builders as b


@dataclass
class World:
    """A workspace whose store has scanned one notice (NTF-20417) and its listing."""

    workspace: Workspace
    store: Store

    def bundle(self, case_id: str = b.NOTICE_ID) -> b.Bundle:
        return b.good_bundle(self.workspace.case_dir(case_id))

    def check(self, case_dir: Path, lang: str = "en", mode: Mode = "appeal") -> CheckReport:
        return check_case(self.workspace, case_dir, lang, store=self.store, now=b.NOW, mode=mode)

    def rules(self, case_dir: Path) -> set[str]:
        return {f.rule for f in self.check(case_dir).findings}


@pytest.fixture(autouse=True)
def _fresh_inspections() -> Iterator[None]:
    evidence.clear_cache()
    yield
    evidence.clear_cache()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    workspace = Workspace(tmp_path / "ws")
    b.write_config(workspace)
    store = Store(workspace.db_path)
    b.scan_into(
        store,
        notices=[b.notice()],
        listings=[b.listing()],
        account=b.active_account(),
    )
    yield World(workspace, store)
    store.close()
