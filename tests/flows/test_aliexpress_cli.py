"""AliExpress through the commands a seller types: scan, case new / case report, check, prefill,
and the human's click; the sandbox's truth and the case ledger agree to the byte."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import Sandbox, Workspace
from tests.flows.human import chrome_with_devtools, click_submit, log_in_there, start_prefill
from tests.preflight.test_aliexpress_scaffold import _finish

pytestmark = pytest.mark.browser
STORE = "ali-sandbox"


@pytest.fixture
def chrome() -> Iterator[str]:
    with chrome_with_devtools() as endpoint:
        yield endpoint


def _hashes(case_dir: Path) -> list[tuple[str, str]]:
    data = __import__("yaml").safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    return sorted((Path(e["file"]).name,
                   hashlib.sha256((case_dir / e["file"]).read_bytes()).hexdigest())
                  for e in data["evidence"])


def _submitted(case_dir: Path) -> list[dict]:
    lines = (case_dir / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["event"] == "submitted"]


def test_an_appeal_from_case_new_to_the_humans_click(clean_sandbox: Sandbox,
                                                    workspace: Workspace, chrome: str) -> None:
    workspace.login(STORE)
    assert workspace.run("scan", "--store", STORE).code == 0
    truth = clean_sandbox.truth("aliexpress")
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    appealed = {a["notice_id"] for a in truth["appeals"]}
    notice = next(n for n in truth["notices"] if n["appealable"] and n["notice_id"] not in appealed
                  and (n["appeal_deadline"] or "") > now)
    made = workspace.run("case", "new", notice["notice_id"])
    assert made.code == 0, made.stderr
    case_dir = workspace.root / "cases" / notice["notice_id"]
    _finish(case_dir)
    checked = workspace.run("--lang", "zh", "check", f"cases/{notice['notice_id']}")
    assert checked.code == 0, checked.stderr
    log_in_there(chrome, clean_sandbox.base, "aliexpress")
    run = start_prefill(workspace.root, f"cases/{notice['notice_id']}", "--lang", "zh",
                        "--browser-endpoint", chrome, "--timeout", "120")
    run.wait_for("已就绪")
    assert clean_sandbox.truth("aliexpress")["submissions"] == []
    click_submit(chrome, "提交申诉", "/violation/appeal")
    code, said = run.finish()
    assert code == 0, said
    sent = clean_sandbox.truth("aliexpress")["submissions"]
    assert len(sent) == 1 and sent[0]["kind"] == "appeal"
    assert sorted((f["name"], f["sha256"]) for f in sent[0]["files"]) == _hashes(case_dir)
    recorded = _submitted(case_dir)
    assert len(recorded) == 1 and recorded[0]["appeal_id"] == sent[0]["appeal_id"]
    assert sorted((f["name"], f["sha256"]) for f in recorded[0]["files"]) == _hashes(case_dir)


def test_a_report_from_case_report_to_the_humans_click(clean_sandbox: Sandbox,
                                                      workspace: Workspace, chrome: str) -> None:
    workspace.login(STORE)
    link = "https://www.aliexpress.com/item/1005006123456789.html"
    made = workspace.run("--store", STORE, "case", "report", "--type", "盗图", "--target", link,
                         "--json")
    assert made.code == 0, made.stderr
    case_dir = Path(json.loads(made.stdout)["case"])
    _finish(case_dir)
    checked = workspace.run("check", str(case_dir))
    assert checked.code == 0, checked.stderr
    log_in_there(chrome, clean_sandbox.base, "aliexpress")
    run = start_prefill(workspace.root, str(case_dir), "--browser-endpoint", chrome,
                        "--timeout", "120")
    run.wait_for("Ready for your click")
    click_submit(chrome, "提交举报", "/report-center/new")
    code, said = run.finish()
    assert code == 0, said
    sent = clean_sandbox.truth("aliexpress")["submissions"]
    assert [s["kind"] for s in sent] == ["report"]
    assert sorted((f["name"], f["sha256"]) for f in sent[0]["files"]) == _hashes(case_dir)
    assert _submitted(case_dir)[0]["appeal_id"].startswith("JB")
