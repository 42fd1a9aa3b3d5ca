"""Prefill against the Joom sandbox: autofill fills, the human (the test) clicks, autofill records.

The test plays the human in the very browser autofill filled, attached over DevTools."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from autofill.samples import photo_jpg
from tests.conftest import WORKSPACE_TOML, Sandbox, Workspace, run_cli
from tests.flows.bundles import finish_certificate_case, open_notice
from tests.flows.human import (
    PrefillRun,
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


@pytest.fixture(scope="module")
def scanned(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One scan of the seeded sandbox, copied into each test's workspace (state is reset)."""
    root = tmp_path_factory.mktemp("scanned")
    (root / "autofill.toml").write_text(WORKSPACE_TOML.format(base=sandbox.base))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUTOFILL_DATA_DIR", str(tmp_path_factory.mktemp("scan-data")))
        sandbox.reset()
        assert run_cli(["login", "--store", STORE, "--demo"], root).code == 0
        result = run_cli(["scan", "--store", STORE], root)
        assert result.code == 0, result.stderr
    return root / ".autofill" / "store.sqlite3"


def _copy_store(source: Path, workspace: Workspace) -> None:
    target = workspace.root / ".autofill" / "store.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _ready_case(sandbox: Sandbox, workspace: Workspace, scanned: Path,
                big_files: int = 0) -> tuple[Path, dict, list[Path]]:
    workspace.login()
    _copy_store(scanned, workspace)
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


def _prefill_as_the_human(sandbox: Sandbox, workspace: Workspace, chrome: str, notice: dict,
                          timeout: str) -> PrefillRun:
    """The human is logged in in their own Chrome; autofill prefills there and waits."""
    log_in_there(chrome, sandbox.base)
    return start_prefill(workspace.root, f"cases/{notice['notice_id']}",
                         "--browser-endpoint", chrome, "--timeout", timeout)


def _ledger(case_dir: Path) -> list[dict]:
    return [json.loads(x) for x in (case_dir / "ledger.jsonl").read_text().splitlines()]


def test_the_human_submits_and_the_ledger_records_exactly_what_was_sent(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path) -> None:
    case_dir, notice, files = _ready_case(clean_sandbox, workspace, scanned)
    run = _prefill_as_the_human(clean_sandbox, workspace, chrome, notice, timeout="120")
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
    _assert_no_session_in(workspace.root, _session_cookies(chrome))


def _session_cookies(endpoint: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(endpoint)
        values = [c["value"] for c in browser.contexts[0].cookies() if len(c["value"]) >= 8]
    assert values, "the human's browser holds a session"
    return values


def _assert_no_session_in(root: Path, secrets: list[str]) -> None:
    """Nothing a prefill leaves with the case (trace, ledger, logs, store) holds the session."""
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs = [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            for secret in secrets:
                assert secret.encode() not in blob, f"session cookie found in {path}"


def test_nobody_clicks_so_prefill_times_out_with_exit_5_and_nothing_is_sent(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path) -> None:
    _, notice, _ = _ready_case(clean_sandbox, workspace, scanned)
    run = _prefill_as_the_human(clean_sandbox, workspace, chrome, notice, timeout="10")
    code, said = run.finish()
    assert code == 5, said
    assert "nothing was sent" in said
    assert clean_sandbox.truth()["submissions"] == []


def test_the_window_closed_mid_wait_exits_5_and_nothing_is_sent(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path) -> None:
    _, notice, _ = _ready_case(clean_sandbox, workspace, scanned)
    run = _prefill_as_the_human(clean_sandbox, workspace, chrome, notice, timeout="120")
    run.wait_for("Ready for your click")
    close_tab(chrome, "/appeal")
    code, said = run.finish()
    assert code == 5, said
    assert "closed before Submit" in said
    assert clean_sandbox.truth()["submissions"] == []


def test_a_second_appeal_for_the_same_notice_is_refused(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path) -> None:
    case_dir, notice, _ = _ready_case(clean_sandbox, workspace, scanned)
    run = _prefill_as_the_human(clean_sandbox, workspace, chrome, notice, timeout="120")
    run.wait_for("Ready for your click")
    click_submit(chrome, "Submit appeal", "/appeal")
    assert run.finish()[0] == 0
    again = workspace.run("prefill", f"cases/{notice['notice_id']}", "--browser-endpoint", chrome)
    assert again.code == 1
    assert "already has appeal APL-" in again.stderr and "duplicate" in again.stderr
    assert len(clean_sandbox.truth()["submissions"]) == 1


def test_a_request_for_more_information_is_answered_with_the_supplement_form(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path) -> None:
    case_dir, notice, files = _ready_case(clean_sandbox, workspace, scanned)
    run = _prefill_as_the_human(clean_sandbox, workspace, chrome, notice, timeout="120")
    run.wait_for("Ready for your click")
    click_submit(chrome, "Submit appeal", "/appeal")
    assert run.finish()[0] == 0
    appeal_id = clean_sandbox.truth()["submissions"][0]["appeal_id"]
    clean_sandbox.state("joom", appeal={"appeal_id": appeal_id, "status": "info_requested"})
    listed = workspace.run("appeals", "--store", STORE)
    assert listed.code == 0, listed.stderr
    assert appeal_id in listed.stderr and "send more information" in listed.stderr
    # the seller adds the new evidence the reviewer asked for, and says what it shows
    extra = photo_jpg(case_dir / "invoice.jpg", "purchase invoice")
    data = yaml.safe_load((case_dir / "case.yaml").read_text())
    data["evidence"].append({"file": "invoice.jpg", "kind": "product_photo"})
    data["statement"] = (f"Re: notification {notice['notice_id']}, rule {notice['rule_ref']}. "
                         "As requested, the attached invoice photo shows the certified model "
                         "was bought from the certificate holder.")
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    run = start_prefill(workspace.root, f"cases/{notice['notice_id']}",
                        "--browser-endpoint", chrome, "--timeout", "120")
    run.wait_for("Ready for your click")
    assert any("Answer by" in line or "asks for more information" in line for line in run.lines)
    click_submit(chrome, "Send additional information", f"/support/appeals/{appeal_id}")
    code, said = run.finish()
    assert code == 0, said
    sent = clean_sandbox.truth()["submissions"]
    assert [s["kind"] for s in sent] == ["appeal", "supplement"]
    assert extra.name in [f["name"] for f in sent[1]["files"]]
    assert len([e for e in _ledger(case_dir) if e["event"] == "submitted"]) == 2


def test_a_file_the_site_rejects_is_reported_by_name_in_its_own_words(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path) -> None:
    case_dir, notice, _ = _ready_case(clean_sandbox, workspace, scanned)
    # the seller's own rulepack lets PNG through; the site does not
    pack = (Path(__file__).resolve().parents[2] / "rulepacks" / "joom.yaml").read_text()
    (workspace.root / "rulepacks").mkdir()
    (workspace.root / "rulepacks" / "joom.yaml").write_text(
        pack.replace("    - {type: jpeg, extensions: [.jpg, .jpeg]}",
                     "    - {type: jpeg, extensions: [.jpg, .jpeg]}\n"
                     "    - {type: png, extensions: [.png]}", 1))
    from PIL import Image

    Image.new("RGB", (1200, 900), "white").save(case_dir / "label.png", dpi=(300, 300))
    data = yaml.safe_load((case_dir / "case.yaml").read_text())
    data["evidence"].append({"file": "label.png", "kind": "product_photo"})
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    log_in_there(chrome, clean_sandbox.base)
    result = workspace.run("prefill", f"cases/{notice['notice_id']}",
                           "--browser-endpoint", chrome, "--timeout", "30")
    assert result.code == 2, result.stderr
    assert "label.png: Only PDF and JPG files are accepted." in result.stderr
    assert clean_sandbox.truth()["submissions"] == []


@pytest.mark.parametrize(("variant", "named"), [
    ("renamed_field", "field 'Statement (English)' is gone"),
    ("new_required_field", "new required field 'Contact phone'"),
    ("dropped_file_type", "field 'Evidence files': accept is now '.pdf'"),
])
def test_a_changed_appeal_form_stops_prefill_with_the_change_named_and_nothing_typed(
        clean_sandbox: Sandbox, workspace: Workspace, chrome: str, scanned: Path,
        variant: str, named: str) -> None:
    _, notice, _ = _ready_case(clean_sandbox, workspace, scanned)
    clean_sandbox.state("joom", form_variant=variant)
    log_in_there(chrome, clean_sandbox.base)
    result = workspace.run("prefill", f"cases/{notice['notice_id']}",
                           "--browser-endpoint", chrome, "--timeout", "30")
    assert result.code == 4, result.stderr
    assert named in result.stderr and "nothing was typed" in result.stderr
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(chrome)
        forms = [p for c in browser.contexts for p in c.pages if "/appeal" in p.url]
        for page in forms:
            assert page.locator("textarea").input_value() == ""
            assert page.locator("input[type=file]").evaluate("i => i.files.length") == 0
    assert clean_sandbox.truth()["submissions"] == []
