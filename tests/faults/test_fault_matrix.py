"""Faults survived, on both platforms: whatever breaks, nothing already collected is lost, nothing
is duplicated, nothing is submitted, and the user gets the right exit code and a sentence saying
what to do next."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from autofill import session
from autofill.store import Store
from tests.conftest import ROOT, Sandbox, Workspace
from tests.faults.conftest import Score
from tests.flows.bundles import ready_case
from tests.truth import assert_scan_equals_truth

pytestmark = pytest.mark.browser
PLATFORMS = [("joom", "joom-sandbox"), ("aliexpress", "ali-sandbox")]


def _db(workspace: Workspace) -> sqlite3.Connection:
    return sqlite3.connect(workspace.root / ".autofill" / "store.sqlite3")


def _kept(workspace: Workspace, store: str) -> tuple[int, int]:
    """(rows, distinct listing ids) in the local store."""
    row = _db(workspace).execute(
        "SELECT count(*), count(DISTINCT listing_id) FROM listings WHERE store = ?", (store,)
    ).fetchone()
    return int(row[0]), int(row[1])


def _kept_equals_truth(sandbox: Sandbox, workspace: Workspace, platform: str, store: str,
                       score: Score, fault: str, faults: int) -> None:
    """The scan survived the fault: the store holds every listing once."""
    truth = sandbox.truth(platform)
    expected = {x["listing_id"] for x in truth["listings"] if x["status"] != "active"}
    rows, distinct = _kept(workspace, store)
    stored = {r[0] for r in _db(workspace).execute(
        "SELECT listing_id FROM listings WHERE store = ?", (store,))}
    score.add(fault, platform, faults=faults, listings=len(expected),
              lost=len(expected - stored), duplicated=rows - distinct)
    assert expected <= stored and rows == distinct


def _rescan_equals_truth(sandbox: Sandbox, workspace: Workspace, platform: str, store: str,
                         score: Score, fault: str, faults: int) -> None:
    """After the fault: scan again; nothing lost, nothing duplicated."""
    sandbox.faults(error_rate=0, latency_ms=0, expire_after=None, scramble=False)
    result = workspace.run("scan", "--store", store, "--json")
    assert result.code == 0, result.stderr
    truth = sandbox.truth(platform)
    assert_scan_equals_truth(result.json(), truth)
    rows, distinct = _kept(workspace, store)
    expected = {x["listing_id"] for x in truth["listings"] if x["status"] != "active"}
    stored = {r[0] for r in _db(workspace).execute(
        "SELECT listing_id FROM listings WHERE store = ?", (store,))}
    score.add(fault, platform, faults=faults, listings=len(expected),
              lost=len(expected - stored), duplicated=rows - distinct)
    assert expected <= stored and rows == distinct


def _scan_process(workspace: Workspace, store: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "autofill", "--workspace", str(workspace.root), "scan",
         "--store", store, "--concurrency", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def _wait_until_scanning(sandbox: Sandbox, proc: subprocess.Popen[str]) -> None:
    """Until the scan has read a few pages (the sandbox counts them): the middle of the scan."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if sandbox.fault_counts()["requests"] >= 6:
            return
        time.sleep(0.1)
    raise AssertionError("the scan never got going")


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_ten_percent_5xx(clean_sandbox: Sandbox, workspace: Workspace, platform: str,
                         store: str, score: Score) -> None:
    workspace.login(store)
    clean_sandbox.faults(error_rate=0.1)
    result = workspace.run("scan", "--store", store, "--json")
    assert result.code == 0, result.stderr
    assert_scan_equals_truth(result.json(), clean_sandbox.truth(platform))
    injected = clean_sandbox.fault_counts()["injected_5xx"]
    assert injected > 0
    _kept_equals_truth(clean_sandbox, workspace, platform, store, score, "10% 5xx", injected)


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_scrambled_markup(clean_sandbox: Sandbox, workspace: Workspace, platform: str,
                          store: str, score: Score) -> None:
    workspace.login(store)
    clean_sandbox.faults(scramble=True)
    result = workspace.run("scan", "--store", store, "--json")
    assert result.code == 0, result.stderr
    assert_scan_equals_truth(result.json(), clean_sandbox.truth(platform))
    pages = clean_sandbox.fault_counts()["requests"]
    _kept_equals_truth(clean_sandbox, workspace, platform, store, score, "scrambled markup",
                       pages)


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_session_expires_mid_scan(clean_sandbox: Sandbox, workspace: Workspace, platform: str,
                                  store: str, score: Score) -> None:
    workspace.login(store)
    clean_sandbox.faults(expire_after=15)
    result = workspace.run("scan", "--store", store)
    assert result.code == 3, result.stderr
    assert f"autofill login --store {store}" in result.stderr
    assert _kept(workspace, store)[0] > 0, "what was read before the expiry is kept"
    workspace.login(store)
    _rescan_equals_truth(clean_sandbox, workspace, platform, store, score, "session expiry", 1)


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_browser_killed_mid_scan(clean_sandbox: Sandbox, workspace: Workspace, platform: str,
                                 store: str, score: Score) -> None:
    workspace.login(store)
    if platform == "joom":
        # a Joom scan reads its server-rendered pages with no browser at all; a session saved
        # by an older autofill (no user agent) scans in the browser from the start
        session.save(store, session.load(store))
    clean_sandbox.faults(latency_ms=400)  # slow enough to be caught in the middle
    proc = _scan_process(workspace, store)
    try:
        _wait_until_scanning(clean_sandbox, proc)
        for child in _browser_running(proc):  # Playwright's driver and the browser
            child.kill()
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1, err
    assert "What was read is saved" in err and "Run `autofill scan` again" in err
    assert "Traceback" not in err
    _rescan_equals_truth(clean_sandbox, workspace, platform, store, score, "browser killed", 1)


def _browser_running(proc: subprocess.Popen[str]) -> list[psutil.Process]:
    """The scan's children once its browser runs (it starts when a page first needs a tab)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        machinery = psutil.Process(proc.pid).children(recursive=True)
        if any("chrom" in p.name().lower() for p in machinery):
            return machinery
        time.sleep(0.05)
    raise AssertionError("the scan never started its browser")


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_ctrl_c_mid_scan(clean_sandbox: Sandbox, workspace: Workspace, platform: str, store: str,
                         score: Score) -> None:
    workspace.login(store)
    clean_sandbox.faults(latency_ms=400)
    proc = _scan_process(workspace, store)
    try:
        _wait_until_scanning(clean_sandbox, proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1, err
    assert "interrupted" in err.lower() and "Traceback" not in err
    _rescan_equals_truth(clean_sandbox, workspace, platform, store, score, "Ctrl+C", 1)


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_disk_full_while_writing_the_store(clean_sandbox: Sandbox, workspace: Workspace,
                                           platform: str, store: str, score: Score,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.login(store)
    real = Store._upsert
    calls = {"n": 0}

    def filling_up(self: Store, *args: object, **kwargs: object) -> None:
        if args[3] == "listings":  # (db, scan_id, store, table, ...)
            calls["n"] += 1
            if calls["n"] > 10:  # the first batch fits, then the disk is full
                raise sqlite3.OperationalError("database or disk is full")
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_upsert", filling_up)
    monkeypatch.setattr("autofill.scanning.BATCH", 10)
    result = workspace.run("scan", "--store", store)
    assert result.code == 1, result.stderr
    assert "the disk is full" in result.stderr and "Free some disk space" in result.stderr
    assert "Traceback" not in result.stderr
    assert _kept(workspace, store)[0] == 10, "the batch written before the disk filled is kept"
    monkeypatch.setattr(Store, "_upsert", real)
    _rescan_equals_truth(clean_sandbox, workspace, platform, store, score, "disk full", 1)


@pytest.fixture(scope="module")
def slow_sandbox() -> Sandbox:
    server = Sandbox(listings=60, seed=11)
    yield server  # type: ignore[misc]
    server.stop()


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_slow_pages(slow_sandbox: Sandbox, tmp_path: Path, data_dir: Path, platform: str,
                    store: str, score: Score) -> None:
    from tests.conftest import WORKSPACE_TOML

    root = tmp_path / "slow"
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text(WORKSPACE_TOML.format(base=slow_sandbox.base))
    workspace = Workspace(root, slow_sandbox)
    workspace.login(store)
    slow_sandbox.faults(latency_ms=2500)
    try:
        result = workspace.run("scan", "--store", store, "--json", "--concurrency", "6")
    finally:
        slow_sandbox.faults(latency_ms=0)
    assert result.code == 0, result.stderr
    assert_scan_equals_truth(result.json(), slow_sandbox.truth(platform))
    delayed = slow_sandbox.fault_counts()["delayed"]
    _kept_equals_truth(slow_sandbox, workspace, platform, store, score, "slow pages (2.5 s)",
                       delayed)


# --- prefill under faults: nothing is ever submitted, the sentence says what to do -------------

@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
def test_session_expires_mid_prefill(clean_sandbox: Sandbox, workspace: Workspace,
                                     platform: str, store: str, score: Score) -> None:
    case = ready_case(platform, store, clean_sandbox, workspace)
    clean_sandbox.faults(expire_after=1)
    result = workspace.run("--headless", "prefill", case, "--timeout", "30")
    assert result.code == 3, result.stderr
    assert f"autofill login --store {store}" in result.stderr
    assert clean_sandbox.truth(platform)["submissions"] == []
    score.add("session expiry (prefill)", platform, faults=1, listings=0, lost=0, duplicated=0)


@pytest.mark.parametrize(("platform", "store"), PLATFORMS)
@pytest.mark.parametrize("fault", ["5xx", "scramble"])
def test_prefill_reaches_the_form_through_faults_and_submits_nothing(
        clean_sandbox: Sandbox, workspace: Workspace, platform: str, store: str, fault: str,
        score: Score) -> None:
    case = ready_case(platform, store, clean_sandbox, workspace)
    clean_sandbox.faults(**({"error_rate": 0.4, "seed": 1} if fault == "5xx"
                            else {"scramble": True}))
    result = workspace.run("--headless", "prefill", case, "--stop-when-ready")
    assert result.code == 0, result.stderr
    assert "Ready for your click" in result.stderr
    assert clean_sandbox.truth(platform)["submissions"] == []
    counts = clean_sandbox.fault_counts()
    assert counts["injected_5xx" if fault == "5xx" else "requests"] > 0, "a fault was met"
    score.add(f"{fault} (prefill)", platform,
              faults=counts["injected_5xx"] if fault == "5xx" else counts["requests"],
              listings=0, lost=0, duplicated=0)
