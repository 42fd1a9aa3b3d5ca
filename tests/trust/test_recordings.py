"""Recordings: every HAR under recordings/ replays offline to its expected scan results, the
shipped ones hold no secret, and `autofill record` captures, scrubs and replays a real session."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autofill.browser import BrowserOptions
from autofill.context import AppContext, Environment
from autofill.errors import AutofillError, NotSubmitted
from autofill.recording import (
    EXPECTED,
    HAR,
    META,
    record,
    record_command,
    replay_folder,
    seller_navigation,
)
from autofill.scrub import EMAIL_PATTERN, REDACTED
from tests.conftest import ROOT, Sandbox, run_cli

pytestmark = pytest.mark.browser
RECORDINGS = ROOT / "recordings"
FOLDERS = sorted(p.parent for p in RECORDINGS.glob("*/*/" + HAR))
SANDBOX_LEGAL_NAMES = ["Shenzhen Example Trading Co., Ltd.", "深圳市示例贸易有限公司",
                       "demo@seller.example"]


def _name(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_recording_replays_offline_to_its_expected_results(folder: Path) -> None:
    """No network, no sandbox: every request is answered from the HAR or aborted."""
    expected = json.loads((folder / EXPECTED).read_text(encoding="utf-8"))
    found = asyncio.run(replay_folder(folder))
    assert found.missing == [], "the scan asked for pages the recording does not hold"
    assert found.expected == expected


def test_the_sandbox_recordings_are_shipped_and_small() -> None:
    shipped = {_name(f) for f in FOLDERS}
    assert "joom/sandbox" in shipped
    for folder in FOLDERS:
        assert (folder / HAR).stat().st_size < 2_000_000, _name(folder)
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        assert meta["platform"] == folder.parent.name
        expected = json.loads((folder / EXPECTED).read_text(encoding="utf-8"))
        assert expected["listings"] and expected["notices"], "an empty recording proves nothing"


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_shipped_recordings_hold_no_session_email_or_legal_name(folder: Path) -> None:
    text = (folder / HAR).read_text(encoding="utf-8")
    for entry in json.loads(text)["log"]["entries"]:
        for side in ("request", "response"):
            message = entry[side]
            assert all(c["value"] == REDACTED for c in message.get("cookies", []))
            for header in message["headers"]:
                name, value = header["name"].lower(), header["value"]
                if name == "set-cookie":
                    assert value.split(";")[0].endswith("=" + REDACTED), header
                elif name in {"cookie", "authorization", "x-csrf-token"}:
                    assert value.split(" ")[-1] == REDACTED, header
        body = entry["response"]["content"].get("text", "")
        for value in re.findall(r'name="csrf_token"[^>]*value="([^"]*)"', body):
            assert value == "&lt;REDACTED&gt;"
    for secret in SANDBOX_LEGAL_NAMES:
        assert secret.lower() not in text.lower()
    assert not EMAIL_PATTERN.search(text)


# --- `autofill record` itself --------------------------------------------------------------
TINY_TOML = """\
[[stores]]
name = "tiny"
platform = "joom"
base_url = "{base}/joom"
legal_name = "{legal}"
"""


@pytest.fixture(scope="module")
def tiny_sandbox() -> Iterator[Sandbox]:
    """A separate small sandbox process: recordings are made against their own server."""
    server = Sandbox(listings=20, seed=11)
    yield server
    server.stop()


@pytest.fixture
def tiny_workspace(tmp_path: Path, tiny_sandbox: Sandbox, data_dir: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    # autofill.toml spells the legal name differently from the site: the scan's reading of the
    # Store Profile must be scrubbed too.
    (root / "autofill.toml").write_text(TINY_TOML.format(
        base=tiny_sandbox.base, legal="Shenzhen Sandbox Trading Co., Ltd."), encoding="utf-8")
    return root


def _ctx(root: Path, *, headless_given: bool = False) -> tuple[AppContext, io.StringIO]:
    err = io.StringIO()
    ctx = AppContext(env=Environment(stdout=io.StringIO(), stderr=err, cwd=root,
                                     environ=dict(os.environ)),
                     store_name="tiny", browser=BrowserOptions(headless=True))
    ctx.headless_given = headless_given  # type: ignore[attr-defined]
    return ctx, err


def test_record_with_scan_scrubs_the_session_and_replays_to_the_truth(
        tiny_workspace: Path, tiny_sandbox: Sandbox, data_dir: Path) -> None:
    assert run_cli(["login", "--store", "tiny", "--demo"], tiny_workspace).code == 0
    cookies = json.loads((data_dir / "sessions" / "tiny.json").read_text())["cookies"]
    ctx, err = _ctx(tiny_workspace)
    record_command(ctx, "tiny-scan", Path("recordings"), scan=True)
    folder = tiny_workspace / "recordings" / "joom" / "tiny-scan"
    text = (folder / HAR).read_text(encoding="utf-8")
    assert cookies and all(c["value"] not in text for c in cookies)
    for secret in SANDBOX_LEGAL_NAMES:
        assert secret.lower() not in text.lower(), secret
    truth = tiny_sandbox.truth()
    expected = json.loads((folder / EXPECTED).read_text(encoding="utf-8"))
    assert {x["listing_id"] for x in expected["listings"]} == {
        x["listing_id"] for x in truth["listings"] if x["status"] != "active"}
    assert {n["notice_id"] for n in expected["notices"]} == {
        n["notice_id"] for n in truth["notices"]}
    assert expected["errors"] == []
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    assert meta["navigation"] == "scan" and meta["pages_missing"] == []
    assert meta["scrubbed"]["cookie"] > 0 and meta["scrubbed"]["legal name"] > 0
    assert "Before sharing" in err.getvalue()
    assert not list(Path(tiny_workspace).glob("**/raw.har")), "the raw capture must not stay"


def test_a_partial_seller_recording_says_which_pages_are_missing(
        tiny_workspace: Path, tiny_sandbox: Sandbox) -> None:
    """The seller's own navigation (here: ended at once by --until-url on the Dashboard)."""
    assert run_cli(["login", "--store", "tiny", "--demo"], tiny_workspace).code == 0
    ctx, err = _ctx(tiny_workspace, headless_given=True)
    record_command(ctx, "dashboard-only", Path("recordings"), until_url="*/joom/")
    folder = tiny_workspace / "recordings" / "joom" / "dashboard-only"
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    assert meta["navigation"] == "seller" and meta["pages_missing"]
    expected = json.loads((folder / EXPECTED).read_text(encoding="utf-8"))
    assert expected["errors"] and expected["listings"] == []
    assert "Record again with --scan" in err.getvalue()


def test_record_refuses_bad_names_existing_recordings_and_missing_legal_names(
        tiny_workspace: Path) -> None:
    bad = run_cli(["record", "--store", "tiny", "../escape"], tiny_workspace)
    assert bad.code == 2 and "recording name" in bad.stderr
    taken = tiny_workspace / "recordings" / "joom" / "taken"
    taken.mkdir(parents=True)
    (taken / HAR).write_text("{}")
    again = run_cli(["record", "--store", "tiny", "taken"], tiny_workspace)
    assert again.code == 2 and "nothing is overwritten" in again.stderr
    assert (taken / HAR).read_text() == "{}"
    no_session = run_cli(["record", "--store", "tiny", "fresh"], tiny_workspace)
    assert no_session.code == 3 and "autofill login --store tiny" in no_session.stderr
    toml = tiny_workspace / "autofill.toml"
    toml.write_text(toml.read_text().replace('legal_name = "Shenzhen Sandbox Trading Co., Ltd."',
                                             'legal_name = ""'))
    unnamed = run_cli(["record", "--store", "tiny", "fresh"], tiny_workspace)
    assert unnamed.code == 2
    assert "autofill.toml" in unnamed.stderr and "legal_name" in unnamed.stderr


def test_a_hidden_window_without_scan_is_refused(tiny_workspace: Path, data_dir: Path) -> None:
    from autofill import session

    session.save("tiny", {"cookies": [], "origins": []})
    ctx, _ = _ctx(tiny_workspace, headless_given=True)
    with pytest.raises(AutofillError, match="Nobody can browse a hidden window"):
        record_command(ctx, "hidden", Path("recordings"))


def _tiny_site(tiny_sandbox: Sandbox) -> Any:
    from autofill.browsing import site_for
    from autofill.config import StoreConfig

    return site_for(StoreConfig(name="tiny", platform="joom", base_url=tiny_sandbox.url("/joom")))


def test_a_seller_recording_ends_when_the_tab_is_closed(
        tiny_workspace: Path, tiny_sandbox: Sandbox) -> None:
    assert run_cli(["login", "--store", "tiny", "--demo"], tiny_workspace).code == 0
    navigate = seller_navigation(until_url=None, timeout=120)

    async def seller_closes_the_tab(context: Any, site: Any) -> None:
        async def close_it() -> None:
            page = await context.wait_for_event("page")
            await page.wait_for_url("**/joom/")
            await page.close()  # what the seller's click on the tab's x does

        closing = asyncio.create_task(close_it())
        await navigate(context, site)
        await closing

    folder = tiny_workspace / "recordings" / "joom" / "closed-tab"
    recording = asyncio.run(record(_tiny_site(tiny_sandbox), BrowserOptions(), folder,
                                   seller_closes_the_tab, legal_names=["Tiny Test Trading Co."],
                                   navigation="seller", lean=False))
    urls = [e["request"]["url"] for e in json.loads(recording.har.read_text())["log"]["entries"]]
    assert tiny_sandbox.url("/joom/") in urls
    assert recording.missing, "a dashboard alone is not what a scan reads"


def test_closing_the_whole_browser_loses_the_recording_and_says_so(
        tiny_workspace: Path, tiny_sandbox: Sandbox) -> None:
    assert run_cli(["login", "--store", "tiny", "--demo"], tiny_workspace).code == 0

    async def seller_quits_the_browser(context: Any, site: Any) -> None:
        page = await context.new_page()
        await page.goto(site.base_url + "/")
        await context.browser.close()

    folder = tiny_workspace / "recordings" / "joom" / "quit"
    with pytest.raises(NotSubmitted, match="nothing was written"):
        asyncio.run(record(_tiny_site(tiny_sandbox), BrowserOptions(), folder,
                           seller_quits_the_browser, legal_names=["Tiny Test Trading Co."],
                           navigation="seller"))
    assert not (folder / HAR).exists()
