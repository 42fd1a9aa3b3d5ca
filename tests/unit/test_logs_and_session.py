"""Secrets never reach logs; session files are 0600 outside the workspace."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from autofill import session
from autofill.errors import BadInput, LoginNeeded
from autofill.logs import configure, get_logger, redact


def test_redaction_covers_keys_nested_values_and_text() -> None:
    event = {
        "cookies": [{"name": "joom_session", "value": "s3cr3t-value"}],
        "headers": {"Authorization": "Bearer abc.def", "Accept": "text/html"},
        "detail": "sent Cookie: joom_session=s3cr3t-value; path=/",
        "url": "https://x/login?token=abcdef123&page=2",
        "password": "hunter2",
    }
    text = json.dumps(redact(event))
    for secret in ("s3cr3t-value", "abc.def", "abcdef123", "hunter2"):
        assert secret not in text
    assert "text/html" in text and "page=2" in text


def test_log_lines_go_to_the_workspace_file_redacted(tmp_path: Path) -> None:
    stream = io.StringIO()
    configure(tmp_path / "logs", stream=stream)
    get_logger().warning("login failed", cookie="abc123456", note="Authorization: Bearer zzz")
    files = list((tmp_path / "logs").glob("*.jsonl"))
    assert files
    content = files[0].read_text() + stream.getvalue()
    assert "abc123456" not in content and "zzz" not in content
    assert "login failed" in stream.getvalue()


def test_every_command_logs_to_its_workspace_and_verbose_shows_info(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    root = tmp_path / "ws"
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text("")
    assert run_cli(["deadlines"], root).code == 0
    get_logger().info("quiet probe")
    get_logger().warning("loud probe", session="s3cr3t-cookie")
    assert run_cli(["--verbose", "deadlines"], root).code == 0
    get_logger().info("verbose probe")
    lines = [json.loads(x) for f in (root / ".autofill" / "logs").glob("*.jsonl")
             for x in f.read_text().splitlines()]
    assert [x["event"] for x in lines] == ["quiet probe", "loud probe", "verbose probe"]
    assert "s3cr3t-cookie" not in json.dumps(lines)


def test_a_dead_playwright_driver_is_not_reported_twice(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    configure(None, stream=io.StringIO())
    error = Exception("Connection closed while reading from the driver")
    logging.getLogger("asyncio").error("Future exception was never retrieved",
                                       exc_info=(Exception, error, None))
    logging.getLogger("asyncio").error("something else went wrong")
    assert [r.getMessage() for r in caplog.records] == ["something else went wrong"]


def test_session_file_is_0600_and_outside_the_workspace(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(tmp_path / "data"))
    path = session.save("shop", {"cookies": [], "origins": []}, user_agent="Chrome/156")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session.load("shop") == {"cookies": [], "origins": []}, "Playwright's part only"
    assert session.user_agent("shop") == "Chrome/156"
    session.save("shop", {"cookies": [], "origins": []})
    assert session.user_agent("shop") is None, "an older session file names no browser"
    with pytest.raises(BadInput):
        monkeypatch.setenv("AUTOFILL_DATA_DIR", str(tmp_path / "ws" / "inside"))
        session.ensure_outside(tmp_path / "ws")


def test_missing_session_means_login_needed(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(tmp_path))
    with pytest.raises(LoginNeeded) as err:
        session.load("nobody")
    assert err.value.exit_status == 3
    assert "autofill login --store nobody" in str(err.value)


def test_a_session_file_with_a_broken_cookie_means_login_needed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(tmp_path))
    session.save("edited", {"cookies": [{"value": "x", "domain": "127.0.0.1", "path": "/"}],
                            "origins": []})
    with pytest.raises(LoginNeeded) as err:
        session.load("edited")
    assert err.value.exit_status == 3 and "unreadable" in str(err.value)
    assert "autofill login --store edited" in str(err.value)


def test_trace_scrubbing_removes_session_headers_and_values(tmp_path: Path) -> None:
    import zipfile

    from autofill.artifacts import scrub_trace

    trace = tmp_path / "trace.zip"
    network = json.dumps({"request": {"headers": [
        {"name": "Cookie", "value": "joom_session=abcdef123456"},
        {"name": "Accept", "value": "text/html"}]},
        "response": {"headers": [{"name": "set-cookie", "value": "x=zzz; HttpOnly"}]},
        "snapshot": "token abcdef123456 in a page"})
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.network", network)
    scrub_trace(trace, ["abcdef123456"])
    with zipfile.ZipFile(trace) as archive:
        text = archive.read("trace.network").decode()
    assert "abcdef123456" not in text and "zzz" not in text and "text/html" in text
