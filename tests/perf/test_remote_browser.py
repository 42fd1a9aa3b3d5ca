"""`--browser-endpoint ws://...`: autofill works in a browser run by a Playwright browser server
(Playwright's own `launch-server`, here on loopback) exactly as in one it launches itself.

The server's Chromium also listens for DevTools on loopback: that is how the test, playing the
human at the remote screen, sees and clicks in the window autofill filled (a second Playwright
client of the server would only see its own contexts)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autofill.browser import LAUNCH_ARGS, find_browser
from tests.conftest import Sandbox, Workspace
from tests.flows.bundles import ready_case
from tests.flows.human import click_submit, free_port, start_prefill

pytestmark = pytest.mark.browser
STORE = "joom-sandbox"


@dataclass(frozen=True)
class BrowserServer:
    endpoint: str  # ws://, what autofill is given
    devtools: str  # http://, where the test plays the human


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserServer]:
    """`python -m playwright launch-server` on a free loopback port."""
    devtools = free_port()
    config: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "wsPath": "/autofill-tests",
                              "headless": True,
                              "args": [*LAUNCH_ARGS, f"--remote-debugging-port={devtools}"]}
    executable = find_browser().executable
    if executable is not None:
        config["executablePath"] = str(executable)
    path = tmp_path_factory.mktemp("browser-server") / "server.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    # its own process group: `python -m playwright` runs the driver as a child, and both go
    server = subprocess.Popen(
        [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium",
         "--config", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert server.stdout is not None
    endpoint = server.stdout.readline().strip()
    try:
        if not endpoint.startswith("ws://"):
            raise RuntimeError(f"the browser server did not start: {endpoint} "
                               f"{server.stderr.read() if server.stderr else ''}")
        yield BrowserServer(endpoint, f"http://127.0.0.1:{devtools}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The scan's contract without its time stamp, each list in a stable order."""
    keys = {"listings": "listing_id", "notices": "notice_id", "appeals": "appeal_id"}
    out = {k: v for k, v in data.items() if k != "scanned_at"}
    for name, key in keys.items():
        out[name] = sorted(data[name], key=lambda item, key=key: item[key])
    return out


def test_scan_over_a_playwright_browser_server_equals_a_local_scan(
        clean_sandbox: Sandbox, workspace: Workspace, server: BrowserServer,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    workspace.login()
    local = workspace.run("scan", "--store", STORE, "--json")
    assert local.code == 0, local.stderr
    # no browser to launch here: only the browser server can do the work
    monkeypatch.setenv("AUTOFILL_BROWSER_PATH", str(tmp_path / "no-browser-here"))
    remote = workspace.run("--browser-endpoint", server.endpoint, "scan", "--store", STORE,
                           "--json")
    assert remote.code == 0, remote.stderr
    assert _comparable(remote.json()) == _comparable(local.json())
    truth = clean_sandbox.truth()
    assert {x["listing_id"] for x in remote.json()["listings"]} == {
        x["listing_id"] for x in truth["listings"] if x["status"] != "active"}


def test_an_unreachable_browser_server_exits_4_naming_the_endpoint(
        workspace: Workspace) -> None:
    workspace.login()
    endpoint = "ws://127.0.0.1:9/nobody-listens"
    result = workspace.run("--browser-endpoint", endpoint, "scan", "--store", STORE)
    assert result.code == 4, result.stderr
    assert endpoint in result.stderr
    assert "Traceback" not in result.stderr


# (platform, store, the form's submit button, a part of the form's URL, the "ready" words)
PREFILLS = [("joom", "joom-sandbox", "Submit appeal", "/appeal", "Ready for your click"),
            ("aliexpress", "ali-sandbox", "提交申诉", "/violation/appeal", "Ready for your click")]


@pytest.mark.parametrize(("platform", "store", "button", "form_url", "ready"), PREFILLS,
                         ids=[p[0] for p in PREFILLS])
def test_scan_and_prefill_over_a_browser_server_and_the_human_submits_there(
        clean_sandbox: Sandbox, workspace: Workspace, server: BrowserServer,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, store: str,
        button: str, form_url: str, ready: str) -> None:
    monkeypatch.setenv("AUTOFILL_BROWSER_PATH", str(tmp_path / "no-browser-here"))
    remote = ("--browser-endpoint", server.endpoint)
    case = ready_case(platform, store, clean_sandbox, workspace, *remote)
    run = start_prefill(workspace.root, case, *remote, "--timeout", "120")
    run.wait_for(ready)
    assert clean_sandbox.truth(platform)["submissions"] == [], "autofill must not submit"
    click_submit(server.devtools, button, form_url)
    code, said = run.finish()
    assert code == 0, said
    sent = clean_sandbox.truth(platform)["submissions"]
    assert len(sent) == 1 and sent[0]["kind"] == "appeal", sent
    assert sent[0]["notice_id"] == Path(case).name
    ledger = (workspace.root / case / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    submitted = [e for e in map(json.loads, ledger) if e["event"] == "submitted"]
    assert [e["appeal_id"] for e in submitted] == [sent[0]["appeal_id"]]
