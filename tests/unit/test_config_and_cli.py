"""The CLI's contract without a browser: help, version, init, config errors, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autofill.cli import _hoist_globals
from tests.conftest import run_cli


def test_help_teaches_the_day_and_does_not_import_playwright() -> None:
    code = (
        "import sys; from autofill.cli import main; rc = main(['--help']); "
        "assert 'playwright' not in sys.modules, 'playwright imported'; "
        "assert 'autofill.sandbox.server' not in sys.modules"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "autofill prefill" in out.stdout and "YOU click Submit" in out.stdout


def test_version(tmp_path: Path) -> None:
    result = run_cli(["--version"], tmp_path)
    assert result.code == 0 and result.stdout.startswith("autofill ")


def test_init_makes_a_workspace_with_a_commented_example(tmp_path: Path) -> None:
    result = run_cli(["init", "appeals"], tmp_path)
    assert result.code == 0, result.stderr
    toml = (tmp_path / "appeals" / "autofill.toml").read_text()
    assert "# [[stores]]" in toml and "legal_name" in toml
    assert (tmp_path / "appeals" / "cases").is_dir()
    again = run_cli(["init", "appeals"], tmp_path)
    assert again.code == 2 and "already a workspace" in again.stderr


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[[stores]]\nname = "a"\nplatform = "amazon"\n', ["stores[0].platform", "joom"]),
        ('[[stores]]\nname = "a"\nplatform = "joom"\ncolour = 1\n',
         ["stores[0].colour", "unknown key"]),
        ('[[stores]]\nname = "a"\nplatform = "joom"\nbase_url = "ftp://x"\n',
         ["stores[0].base_url", "http"]),
        ('[[stores]\nname = "a"\n', ["not valid TOML"]),
        ('[[stores]]\nplatform = "joom"\n', ["stores[0].name", "missing"]),
        ('[scan]\nconcurrency = 99\n', ["scan.concurrency", "8"]),
    ],
)
def test_a_bad_config_names_the_file_and_key_with_exit_2(tmp_path: Path, toml: str,
                                                          names: list[str]) -> None:
    (tmp_path / "autofill.toml").write_text(toml)
    result = run_cli(["deadlines"], tmp_path)
    assert result.code == 2
    assert "autofill.toml" in result.stderr
    for name in names:
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_non_utf8_config_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "autofill.toml").write_bytes(b"name = \"\xff\xfe\"\n")
    result = run_cli(["deadlines"], tmp_path)
    assert result.code == 2 and "UTF-8" in result.stderr


def test_unknown_store_is_named(tmp_path: Path) -> None:
    (tmp_path / "autofill.toml").write_text('[[stores]]\nname = "a"\nplatform = "joom"\n')
    result = run_cli(["login", "--store", "b"], tmp_path)
    assert result.code == 2 and "no store named 'b'" in result.stderr


def test_missing_browser_says_how_to_get_one(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(["--browser-path", str(tmp_path / "nope"), "doctor"], tmp_path)
    assert result.code == 1
    assert "is not an executable file" in result.stderr
    assert "python -m playwright install chromium" in result.stderr


def test_no_browser_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from autofill import browser

    monkeypatch.delenv("AUTOFILL_BROWSER_PATH", raising=False)
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", [])
    monkeypatch.setattr(browser, "SYSTEM_NAMES", [])
    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    with pytest.raises(browser.BrowserNotFound) as err:
        browser.find_browser(None)
    assert "apt-get install chromium" in str(err.value)
    assert err.value.exit_status == 2


def test_global_options_may_follow_the_command() -> None:
    assert _hoist_globals(["scan", "--json", "--store", "x"]) == ["--json", "--store", "x", "scan"]
    assert _hoist_globals(["check", "cases/a", "--lang=zh"]) == ["--lang=zh", "check", "cases/a"]
