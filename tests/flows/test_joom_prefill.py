"""Prefill against the Joom sandbox: autofill fills, the human (the test) clicks, autofill records.

The test plays the human in the very browser autofill filled, attached over DevTools."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import Sandbox, Workspace
from tests.flows.bundles import finish_certificate_case, open_notice
from tests.flows.human import (
    chrome_with_devtools,
    click_submit,
    close_tab,
    log_in_there,
    start_prefill,
)

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


@pytest.fixture
def chrome() -> Iterator[str]:
    with chrome_with_devtools() as endpoint:
        yield endpoint


def _ready_case(sandbox: Sandbox, workspace: Workspace, big_files: int = 0) -> tuple[Path, dict,
                                                                                      list[Path]]:
    workspace.login()
    assert workspace.run("scan", "--store", STORE).code == 0
    truth = sandbox.truth()
    notice = open_notice(truth, "Missing Certificate: CE")
    models = sorted({x["model"] for x in truth["listings"] if x["listing_id"] in
                     notice["listing_ids"]})
    made = workspace.run("case", "new", notice["notice_id"])
    assert made.code == 0, made.stderr
    case_dir = workspace.root / "cases" / notice["notice_id"]
    files = finish_certificate_case(case_dir, notice, models, big_files=big_files)
    checked = workspace.run("check", f"cases/{notice['notice_id']}")
    assert checked.code == 0, checked.stderr
    return case_dir, notice, files


def _ledger(case_dir: Path) -> list[dict]:
    return [json.loads(x) for x in (case_dir / "ledger.jsonl").read_text().splitlines()]


def test_the_human_submits_and_the_ledger_records_exactly_what_was_sent(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str) -> None:
    case_dir, notice, files = _ready_case(clean_sandbox, workspace)
    log_in_there(chrome, clean_sandbox.base)
    run = start_prefill(workspace.root, f"cases/{notice['notice_id']}",
                        "--browser-endpoint", chrome, "--timeout", "120")
    run.wait_for("Ready for your click")
    assert clean_sandbox.truth()["submissions"] == [], "autofill must not submit"
    click_submit(chrome, "Submit appeal", "/appeal")
    code, said = run.finish()
    assert code == 0, said
    submissions = clean_sandbox.truth()["submissions"]
    assert len(submissions) == 1
    sent = submissions[0]
    statement = yaml.safe_load((case_dir / "case.yaml").read_text())["statement"]
    assert sent["notice_id"] == notice["notice_id"]
    assert sent["statement"] == statement
    want = sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in files)
    assert sorted((f["name"], f["sha256"]) for f in sent["files"]) == want
    recorded = [e for e in _ledger(case_dir) if e["event"] == "submitted"]
    assert len(recorded) == 1
    assert recorded[0]["appeal_id"] == sent["appeal_id"]
    assert sorted((f["name"], f["sha256"]) for f in recorded[0]["files"]) == want
    assert recorded[0]["statement"] == sent["statement"]
    artifacts = case_dir / recorded[0]["artifacts"]
    assert (artifacts / "before-submit.png").is_file()
    assert (artifacts / "after-submit.png").is_file()
    assert (artifacts / "trace.zip").is_file()


def test_nobody_clicks_so_prefill_times_out_with_exit_5_and_nothing_is_sent(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str) -> None:
    _, notice, _ = _ready_case(clean_sandbox, workspace)
    log_in_there(chrome, clean_sandbox.base)
    run = start_prefill(workspace.root, f"cases/{notice['notice_id']}",
                        "--browser-endpoint", chrome, "--timeout", "10")
    code, said = run.finish()
    assert code == 5, said
    assert "nothing was sent" in said
    assert clean_sandbox.truth()["submissions"] == []


def test_the_window_closed_mid_wait_exits_5_and_nothing_is_sent(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str) -> None:
    _, notice, _ = _ready_case(clean_sandbox, workspace)
    log_in_there(chrome, clean_sandbox.base)
    run = start_prefill(workspace.root, f"cases/{notice['notice_id']}",
                        "--browser-endpoint", chrome, "--timeout", "120")
    run.wait_for("Ready for your click")
    close_tab(chrome, "/appeal")
    code, said = run.finish()
    assert code == 5, said
    assert "closed before Submit" in said
    assert clean_sandbox.truth()["submissions"] == []
