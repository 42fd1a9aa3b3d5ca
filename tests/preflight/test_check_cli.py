"""`autofill check` from the command line: exit codes, JSON contract, and Chinese output."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from tests.conftest import run_cli
from tests.preflight import builders as b
from tests.preflight.conftest import World


def test_check_json_contract_and_exit_1_on_errors(world: World) -> None:
    bundle = b.good_bundle(world.workspace.case_dir(b.NOTICE_ID))
    bundle.fields["statement"] = "您好,我们的产品符合要求,请恢复链接。"
    bundle.write()
    result = run_cli(["check", f"cases/{b.NOTICE_ID}", "--json"], world.workspace.root)
    assert result.code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"case", "ok", "findings"} and data["ok"] is False
    rules = {f["rule"] for f in data["findings"]}
    assert "statement_not_english" in rules
    for finding in data["findings"]:
        assert set(finding) == {"rule", "severity", "where", "message", "fix"}
        assert finding["severity"] in {"error", "warning"}


def test_check_speaks_chinese_with_lang_zh(world: World) -> None:
    bundle = b.good_bundle(world.workspace.case_dir(b.NOTICE_ID))
    bundle.fields["statement"] = "您好,我们的产品符合要求,请恢复链接。"
    bundle.write()
    result = run_cli(["--lang", "zh", "check", f"cases/{b.NOTICE_ID}"], world.workspace.root)
    assert result.code == 1
    assert "英文" in result.stderr  # the message and its fix, in Chinese
    assert "个错误" in result.stderr


def test_a_good_bundle_passes_with_exit_0(world: World) -> None:
    # the CLI checks against today's clock: the notice must still be open today
    b.scan_into(world.store, notices=[b.notice(deadline=datetime.now(timezone.utc)
                                               + timedelta(days=10))],
                listings=[b.listing()], account=b.active_account())
    b.good_bundle(world.workspace.case_dir(b.NOTICE_ID)).write()
    result = run_cli(["check", f"cases/{b.NOTICE_ID}"], world.workspace.root)
    assert result.code == 0, result.stderr


def test_a_bad_case_yaml_is_exit_2_naming_file_and_field(world: World) -> None:
    bundle = b.good_bundle(world.workspace.case_dir(b.NOTICE_ID))
    bundle.fields["evidence"][0]["file"] = "../../etc/passwd"
    bundle.write()
    result = run_cli(["check", f"cases/{b.NOTICE_ID}"], world.workspace.root)
    assert result.code == 2
    assert "case.yaml" in result.stderr and "evidence[0].file" in result.stderr
    assert "Traceback" not in result.stderr
