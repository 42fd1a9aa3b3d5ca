"""The service behind `autofill check`: load a bundle, gather its context, run the preflight, and
report findings as the check contract's JSON or grouped for people."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from autofill.bundle import CASE_FILE, load_case
from autofill.errors import BadInput
from autofill.preflight import (
    CaseNotCheckable,
    Finding,
    WorkspaceIndex,
    context_for,
    run_checks,
)
from autofill.rulepack import Mode, Rulepack, load_rulepack
from autofill.store import Store
from autofill.workspace import Workspace

# A case.yaml that cannot be read at all, when many cases are checked at once.
CASE_INVALID = "case_invalid"


@dataclass
class CheckReport:
    case: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def contract(self) -> dict[str, Any]:
        """The `check --json` object (DESIGN.md)."""
        return {
            "case": self.case,
            "ok": self.ok,
            "findings": [f.model_dump() for f in self.findings],
        }


class _Rulepacks:
    """Each platform's pack loaded once per run."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.loaded: dict[str, Rulepack] = {}

    def __call__(self, platform: str) -> Rulepack:
        if platform not in self.loaded:
            self.loaded[platform] = load_rulepack(platform, self.workspace)
        return self.loaded[platform]


@contextmanager
def _opened(workspace: Workspace, store: Store | None) -> Iterator[Store | None]:
    """The given store, or the workspace's own (None when nothing was scanned yet)."""
    if store is not None or not workspace.db_path.is_file():
        yield store
        return
    opened = Store(workspace.db_path)
    try:
        yield opened
    finally:
        opened.close()


def check_case(
    workspace: Workspace,
    case_dir: Path,
    lang: str = "en",
    *,
    store: Store | None = None,
    now: datetime | None = None,
    mode: Mode | None = None,
) -> CheckReport:
    """Check one bundle about to be sent as `mode`: a new appeal, a supplement answering a
    request for more information, or a report; by default what the case's kind says (an appeal
    case as a new appeal). A bad case.yaml or rulepack raises BadInput (exit 2)."""
    case = load_case(case_dir)
    with _opened(workspace, store) as db:
        packs = _Rulepacks(workspace)
        ctx = context_for(case, workspace, db, rulepacks=packs, now=now, mode=mode)
        return CheckReport(case_name(workspace, case.case_dir), run_checks(case, ctx, lang))


def check_workspace(
    workspace: Workspace,
    lang: str = "en",
    *,
    store: Store | None = None,
    now: datetime | None = None,
    case_dirs: list[Path] | None = None,
) -> list[CheckReport]:
    """Check every case of the workspace (or `case_dirs`), sharing one store, index and pack set.

    A case whose case.yaml cannot be read (or that cannot be checked, such as a report for a
    platform without report rules) gets a report with one `case_invalid` error instead of
    stopping the run; a bad rulepack still raises BadInput, since it affects every case.
    """
    if case_dirs is None:
        root = workspace.cases_dir
        found = root.iterdir() if root.is_dir() else iter(())
        case_dirs = sorted(p for p in found if (p / CASE_FILE).is_file())
    index = WorkspaceIndex.build(workspace)
    packs = _Rulepacks(workspace)
    reports = []
    with _opened(workspace, store) as db:
        for case_dir in case_dirs:
            try:
                case = load_case(case_dir)
            except BadInput as err:
                reports.append(_invalid(workspace, case_dir, err, lang))
                continue
            try:
                ctx = context_for(case, workspace, db, rulepacks=packs, now=now, index=index)
            except CaseNotCheckable as err:
                reports.append(_invalid(workspace, case_dir, err, lang))
                continue
            reports.append(CheckReport(case_name(workspace, case_dir), run_checks(case, ctx, lang)))
    return reports


def _invalid(workspace: Workspace, case_dir: Path, err: BadInput, lang: str) -> CheckReport:
    fix = (
        "按提示修改 case.yaml，然后再运行 autofill check。"
        if lang == "zh"
        else "Correct case.yaml as the message says, then check again."
    )
    finding = Finding(
        rule=CASE_INVALID, severity="error", where=CASE_FILE, message=str(err), fix=fix
    )
    return CheckReport(case_name(workspace, case_dir), [finding])


def case_name(workspace: Workspace, case_dir: Path) -> str:
    """The case as the contract names it: its path relative to the workspace where possible."""
    try:
        return case_dir.resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return str(case_dir)


_LABELS = {
    "en": {
        "error": "Errors",
        "warning": "Warnings",
        "ok": "Ready: no errors.",
        "fail": "{e} error(s), {w} warning(s): fix the errors before prefilling.",
        "okw": "No errors; {w} warning(s) worth a look.",
    },
    "zh": {
        "error": "错误",
        "warning": "警告",
        "ok": "检查通过：没有错误。",
        "fail": "{e} 个错误，{w} 个警告：请先修正错误再预填。",
        "okw": "没有错误；有 {w} 个警告值得一看。",
    },
}


def render(report: CheckReport, console: Console, lang: str = "en") -> None:
    """Findings for people, grouped by severity: where, what, and how to fix it."""
    labels = _LABELS.get(lang, _LABELS["en"])
    console.print(Text(report.case, style="bold"))
    for severity, mark, style in (("error", "✗", "red"), ("warning", "!", "yellow")):
        items = [f for f in report.findings if f.severity == severity]
        if not items:
            continue
        console.print(Text(f"{labels[severity]} ({len(items)})", style=f"bold {style}"))
        for finding in items:
            console.print(
                Text.assemble(
                    (f"  {mark} ", style),
                    (finding.where, "bold"),
                    ("  " + finding.rule, "dim"),
                )
            )
            console.print(Text("    " + finding.message))
            console.print(Text("    → " + finding.fix, style="cyan"))
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        console.print(Text(labels["fail"].format(e=errors, w=warnings), style="bold red"))
    elif warnings:
        console.print(Text(labels["okw"].format(w=warnings), style="bold yellow"))
    else:
        console.print(Text(labels["ok"], style="bold green"))
