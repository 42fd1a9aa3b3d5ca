"""The check service: the --json contract, the human rendering, and many cases at once."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from autofill.checking import CASE_INVALID, check_case, check_workspace, render
from autofill.errors import BadInput
from autofill.workspace import Workspace
from tests.preflight import builders as b
from tests.preflight.conftest import World


def _broken(world: World) -> Path:
    bundle = world.bundle()
    bundle.fields["statement"] = "我们没有违规。We will never sell it again."
    bundle.fields["evidence"][1]["models"] = ["X200"]
    return bundle.write()


def test_the_json_contract(world: World) -> None:
    report = world.check(_broken(world))
    data = json.loads(json.dumps(report.contract()))
    assert set(data) == {"case", "ok", "findings"}
    assert data["case"] == "cases/NTF-20417" and data["ok"] is False
    assert all(set(f) == {"rule", "severity", "where", "message", "fix"} for f in data["findings"])
    assert {f["severity"] for f in data["findings"]} <= {"error", "warning"}
    severities = [f["severity"] for f in data["findings"]]
    assert severities == sorted(severities, key=lambda s: s != "error")


def test_where_names_the_file_and_field(world: World) -> None:
    report = world.check(_broken(world))
    where = {f.rule: f.where for f in report.findings}
    assert where["certificate_model_mismatch"] == "evidence[1].models: ce-certificate.pdf"
    assert where["statement_not_english"] == "statement"


@pytest.mark.parametrize(("lang", "heading"), [("en", "Errors"), ("zh", "错误")])
def test_render_groups_by_severity_with_where_what_and_fix(
    world: World, lang: str, heading: str
) -> None:
    out = io.StringIO()
    report = world.check(_broken(world), lang=lang)
    render(report, Console(file=out, width=200, color_system=None), lang)
    text = out.getvalue()
    assert text.startswith("cases/NTF-20417")
    assert heading in text
    assert "evidence[1].models: ce-certificate.pdf" in text and "→ " in text


def test_render_does_not_interpret_markup_in_findings(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = b.GOOD_STATEMENT + " [bold]<see [/] attached>"
    out = io.StringIO()
    render(world.check(bundle.write()), Console(file=out, width=300, color_system=None))
    assert "<see [/] attached>" in out.getvalue()


def test_a_workspace_without_a_store_still_checks_the_bundle(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    b.write_config(workspace)
    case_dir = b.good_bundle(workspace.case_dir(b.NOTICE_ID)).write()
    report = check_case(workspace, case_dir, now=b.NOW)
    assert report.ok
    assert {f.rule for f in report.findings} == {"notice_unknown", "store_not_scanned"}
    assert not workspace.db_path.exists()  # checking does not create a store


def test_a_bad_workspace_rulepack_is_bad_input_naming_the_rule(world: World) -> None:
    world.workspace.rulepack_dir.mkdir()
    text = (Path(__file__).parents[2] / "rulepacks" / "joom.yaml").read_text(encoding="utf-8")
    text = text.replace("kind: statement_length", "kind: statement_size", 1)
    (world.workspace.rulepack_dir / "joom.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match=r"\(statement_long\)\.kind: unknown check kind"):
        world.check(world.bundle().write())


def test_a_workspace_rulepack_changes_the_findings(world: World) -> None:
    world.workspace.rulepack_dir.mkdir()
    text = (Path(__file__).parents[2] / "rulepacks" / "joom.yaml").read_text(encoding="utf-8")
    text = text.replace("min_dpi: 300", "min_dpi: 400")
    (world.workspace.rulepack_dir / "joom.yaml").write_text(text, encoding="utf-8")
    assert world.rules(world.bundle().write()) == {"scan_low_dpi"}


def test_check_workspace_reports_every_case_and_survives_a_broken_one(world: World) -> None:
    world.bundle().write()
    _broken_dir = world.workspace.case_dir("NTF-BROKEN")
    _broken_dir.mkdir()
    (_broken_dir / "case.yaml").write_text("schema_version: 1\nkind: appeal\nstore: [", "utf-8")
    reports = check_workspace(world.workspace, store=world.store, now=b.NOW)
    by_case = {r.case: r for r in reports}
    assert by_case["cases/NTF-20417"].ok
    broken = by_case["cases/NTF-BROKEN"]
    assert not broken.ok and broken.findings[0].rule == CASE_INVALID
    assert "malformed YAML" in broken.findings[0].message


def test_check_workspace_finds_templated_statements_across_cases(world: World) -> None:
    world.bundle().write()
    other = b.good_bundle(world.workspace.case_dir("NTF-20999"), "NTF-20999")
    other.write()
    reports = check_workspace(world.workspace, store=world.store, now=b.NOW)
    templated = [
        r.case for r in reports if any(f.rule == "statement_templated" for f in r.findings)
    ]
    assert templated == ["cases/NTF-20417", "cases/NTF-20999"]
