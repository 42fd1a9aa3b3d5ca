"""AliExpress prefill in real Chromium against the sandbox, driving the flow directly (the core's
`autofill prefill` takes AliExpress case kinds once case.yaml knows them).

The flow fills and verifies; the test plays the human: it clicks the highlighted submit itself
(flows never do), and the sandbox's truth shows exactly what that click sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from PIL import Image, ImageDraw

from autofill.browser import BrowserOptions
from autofill.browsing import launched, site_for, store_context
from autofill.config import StoreConfig
from autofill.errors import BadInput, SiteChanged
from autofill.flowkit import FilledForm, PrefillJob
from autofill.prefilling import HIGHLIGHT
from autofill.sandbox.aliexpress.catalogue import KINDS
from autofill.submission import Sent
from autofill.watch import sent_from, watch
from tests.conftest import ROOT, WORKSPACE_TOML, Sandbox, Workspace

pytestmark = pytest.mark.browser
STORE = "ali-sandbox"
SCREENSHOT = ROOT / "tests" / "artifacts" / "aliexpress-prefilled.png"
T = TypeVar("T")


@pytest.fixture(scope="module")
def logged_in(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace and one saved AliExpress session for the module (sessions survive resets)."""
    root = tmp_path_factory.mktemp("ali-prefill")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOFILL_DATA_DIR", str(root / "userdata"))
        (root / "ws" / "cases").mkdir(parents=True)
        (root / "ws" / "autofill.toml").write_text(WORKSPACE_TOML.format(base=sandbox.base))
        workspace = Workspace(root / "ws", sandbox)
        workspace.login(STORE)
        yield workspace


@pytest.fixture
def ali(logged_in: Workspace, clean_sandbox: Sandbox) -> Sandbox:
    return clean_sandbox


# --- evidence files ------------------------------------------------------------------------------


def _png(path: Path, text: str) -> Path:
    image = Image.new("RGB", (320, 160), "white")
    ImageDraw.Draw(image).text((12, 60), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def _mp4(path: Path) -> Path:
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64)
    return path


def _hashes(files: Sequence[Path]) -> set[tuple[str, int, str]]:
    return {(p.name, p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in files}


def _sent(submission: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(f["name"], f["size"], f["sha256"]) for f in submission["files"]}


# --- the harness: a context with the saved session, the flow, then what the test does ----------


def _run(sandbox: Sandbox, tmp: Path, case: Any, files: Sequence[Path],
         then: Callable[[FilledForm], Awaitable[T]], *, mode: str = "appeal",
         appeal_id: str | None = None) -> T:
    site = site_for(StoreConfig(name=STORE, platform="aliexpress",
                                base_url=sandbox.url("/aliexpress")))
    options = BrowserOptions(headless=True)

    async def scenario() -> T:
        async with launched(options) as browser, store_context(browser, site, options) as context:
            page = await context.new_page()
            _WATCHED.clear()
            await watch(page, _WATCHED.append)  # as the core does: it records the click
            job = PrefillJob(store=STORE, base_url=site.base_url, context=context,
                             is_login_page=site.platform.is_login_page, case_dir=tmp, case=case,
                             files=list(files), mode=mode, appeal_id=appeal_id, page=page)
            filled: FilledForm = await site.platform.prefill(job)
            return await then(filled)

    return asyncio.run(scenario())


_WATCHED: list[dict[str, Any]] = []  # the core's in-page watcher's reports of this run


async def _click_as_the_human(filled: FilledForm) -> tuple[str | None, list[str], Sent]:
    """What a person does once the form is ready: click the highlighted button. What the click
    sent is read the way the core reads it (the in-page watcher hashes the chosen files)."""
    page = filled.page
    action = filled.action_url.split("?")[0]
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST"
            and r.url.split("?")[0] == action else None)
    await filled.submit.evaluate(HIGHLIGHT)
    async with page.expect_navigation(wait_until="domcontentloaded"):
        await filled.submit.click()
    found, errors = await filled.read_outcome(page)
    assert len(posts) == 1, "one click, one POST to the form's action"
    assert len(_WATCHED) == 1, "the watcher saw the click"
    return found, errors, sent_from(_WATCHED[0], {})


async def _leave(filled: FilledForm) -> None:
    """Nobody clicks: the window is closed."""
    await filled.page.close()


def _open_record(truth: dict[str, Any]) -> dict[str, Any]:
    open_ = sorted((n for n in truth["notices"] if n["appeal_open"]), key=lambda n: n["issued_at"])
    return open_[-1]  # the newest: inside the golden 72 hours


def _appeal_case(notice: dict[str, Any]) -> SimpleNamespace:
    reason = KINDS[notice["kind"]].appeal_reasons[0]
    return SimpleNamespace(
        notice_id=notice["notice_id"], listing_ids=tuple(notice["listing_ids"]),
        appeal_type=reason,
        statement=f"依据《AliExpress Seller Rules》{notice['rule_ref']},{reason}:附品牌授权书与"
                  "商标注册证原件扫描件,均含可验证的时间戳,请复核并恢复商品。",
    )


# --- 申请申诉 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("scrambled", [False, True], ids=["plain", "scrambled"])
def test_appeal_form_shows_exactly_the_case_and_the_humans_click_sends_it_once(
        ali: Sandbox, tmp_path: Path, scrambled: bool) -> None:
    ali.faults(scramble=scrambled)
    notice = _open_record(ali.truth("aliexpress"))
    case = _appeal_case(notice)
    files = [_pdf(tmp_path / "品牌授权书.pdf"), _png(tmp_path / "商标注册证.png", "TM 12345678")]

    async def check_then_click(filled: FilledForm) -> tuple[str | None, list[str], Sent]:
        form = filled.page.get_by_role("form", name="申诉表单")
        reason = await form.get_by_label("申诉理由").evaluate(
            "s => s.options[s.selectedIndex].text")
        assert reason == case.appeal_type
        assert await form.get_by_label("申诉说明").input_value() == case.statement
        assert await form.get_by_label("证据材料").evaluate(
            "i => Array.from(i.files).map(f => f.name)") == [p.name for p in files]
        listed = await form.get_by_role("list", name="已选文件").get_by_role(
            "listitem").all_inner_texts()
        assert listed == [p.name for p in files]
        assert await filled.submit.inner_text() == "提交申诉"
        assert filled.statement_field == "statement" and filled.file_field == "evidence"
        assert filled.deadline == notice["appeal_deadline"]
        if not scrambled:  # the prefilled Chinese form, as the human sees it before clicking
            await filled.submit.evaluate(HIGHLIGHT)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            await filled.page.screenshot(path=str(SCREENSHOT), full_page=True)
        assert ali.truth("aliexpress")["submissions"] == [], "filling sends nothing"
        return await _click_as_the_human(filled)

    appeal_id, errors, sent = _run(ali, tmp_path, case, files, check_then_click)
    assert errors == [] and appeal_id and appeal_id.startswith("AP")
    truth = ali.truth("aliexpress")
    assert len(truth["submissions"]) == 1
    submission = truth["submissions"][0]
    assert submission["kind"] == "appeal" and submission["appeal_id"] == appeal_id
    assert submission["notice_id"] == notice["notice_id"]
    assert submission["appeal_type"] == case.appeal_type
    assert submission["statement"] == case.statement
    assert _sent(submission) == _hashes(files)
    assert {(f.name, f.size, f.sha256) for f in sent.files} == _hashes(files)
    assert sent.fields["statement"] == case.statement
    made = next(a for a in truth["appeals"] if a["appeal_id"] == appeal_id)
    assert made["status"] == "submitted" and made["notice_id"] == notice["notice_id"]
    assert SCREENSHOT.stat().st_size > 10_000


def test_an_account_without_kyc_is_refused_with_the_sites_own_sentence(
        ali: Sandbox, tmp_path: Path) -> None:
    ali.state("aliexpress", account={"kyc": "未完成"})
    notice = _open_record(ali.truth("aliexpress"))
    with pytest.raises(BadInput) as refused:
        _run(ali, tmp_path, _appeal_case(notice), [_png(tmp_path / "a.png", "a")], _leave)
    message = str(refused.value)
    assert notice["notice_id"] in message and "KYC实名核验" in message
    assert ali.truth("aliexpress")["submissions"] == []


def test_nobody_clicks_and_nothing_is_submitted(ali: Sandbox, tmp_path: Path) -> None:
    notice = _open_record(ali.truth("aliexpress"))
    files = [_png(tmp_path / "物流轨迹截图.png", "tracking")]
    _run(ali, tmp_path, _appeal_case(notice), files, _leave)
    truth = ali.truth("aliexpress")
    assert truth["submissions"] == []
    assert not any(a["notice_id"] == notice["notice_id"] for a in truth["appeals"])


@pytest.mark.parametrize("which", ["window closed", "from a report", "returned for editing"])
def test_a_record_without_申请申诉_is_refused_naming_the_record(
        ali: Sandbox, tmp_path: Path, which: str) -> None:
    truth = ali.truth("aliexpress")
    appealed = {a["notice_id"] for a in truth["appeals"]}
    pick = {
        "window closed": lambda n: n["appealable"] and not n["appeal_open"]
        and n["notice_id"] not in appealed,
        "from a report": lambda n: n["origin"] == "report",
        "returned for editing": lambda n: n["origin"] == "audit",
    }[which]
    notice = next(n for n in truth["notices"] if pick(n))
    case = SimpleNamespace(notice_id=notice["notice_id"], appeal_type="其他",
                           statement="依据 Rule 4.2.1 说明。")
    files = [_png(tmp_path / "证据.png", "x")]
    with pytest.raises(BadInput) as refused:
        _run(ali, tmp_path, case, files, _leave)
    message = str(refused.value)
    assert notice["notice_id"] in message and "Nothing was typed" in message
    expected = {"window closed": "7 natural days after the notice was delivered",
                "from a report": "举报成立", "returned for editing": "returned for editing"}
    assert expected[which] in message
    assert ali.truth("aliexpress")["submissions"] == []


def test_a_changed_appeal_form_stops_before_anything_is_typed(
        ali: Sandbox, tmp_path: Path) -> None:
    ali.state("aliexpress", form_variant="renamed_field")
    notice = _open_record(ali.truth("aliexpress"))
    with pytest.raises(SiteChanged) as changed:
        _run(ali, tmp_path, _appeal_case(notice), [_png(tmp_path / "a.png", "a")], _leave)
    assert "申诉说明" in str(changed.value) and "申诉描述" in str(changed.value)
    assert ali.truth("aliexpress")["submissions"] == []


# --- 补充材料 -------------------------------------------------------------------------------------


def test_one_supplement_is_sent_and_a_second_is_refused(ali: Sandbox, tmp_path: Path) -> None:
    asking = next(a for a in ali.truth("aliexpress")["appeals"]
                  if a["status"] == "info_requested" and a["supplements_used"] == 0)
    case = SimpleNamespace(notice_id=asking["notice_id"],
                           statement="补充物流单号 LP00123456789CN 的揽收记录截图"
                                     "(含时间戳与URL地址栏)。")
    files = [_png(tmp_path / "揽收记录.png", "LP00123456789CN")]

    async def check_then_click(filled: FilledForm) -> tuple[str | None, list[str], Sent]:
        form = filled.page.get_by_role("form", name="补充材料")
        assert await form.get_by_label("补充说明").input_value() == case.statement
        assert filled.deadline == asking["info_request_deadline"]
        return await _click_as_the_human(filled)

    answered, errors, _ = _run(ali, tmp_path, case, files, check_then_click,
                               mode="supplement", appeal_id=asking["appeal_id"])
    assert (answered, errors) == (asking["appeal_id"], [])
    truth = ali.truth("aliexpress")
    assert [s["kind"] for s in truth["submissions"]] == ["supplement"]
    assert _sent(truth["submissions"][0]) == _hashes(files)
    # the platform asks again: the one supplement is used, so prefill refuses before typing
    ali.state("aliexpress", appeal={"appeal_id": asking["appeal_id"], "status": "info_requested"})
    with pytest.raises(BadInput) as refused:
        _run(ali, tmp_path, case, files, _leave, mode="supplement",
             appeal_id=asking["appeal_id"])
    assert asking["appeal_id"] in str(refused.value) and "one supplement" in str(refused.value)
    assert len(ali.truth("aliexpress")["submissions"]) == 1


# --- 发起举报 -------------------------------------------------------------------------------------


def test_report_form_is_filled_from_the_bundle_and_the_click_files_it(
        ali: Sandbox, tmp_path: Path) -> None:
    link = "https://www.aliexpress.com/item/1005006123456789.html"
    case = SimpleNamespace(
        report_type="刷单", target=link, order_numbers=["8001234567890123", "8001234567890124"],
        statement="该店铺通过虚假订单刷单提升销量,附订单号、聊天记录(含买家ID)与开箱视频。",
    )
    images = [_png(tmp_path / "盗图对比.png", "compare")]
    chats = [_png(tmp_path / "聊天记录-chat.png", "buyer id 2209")]
    videos = [_mp4(tmp_path / "开箱视频.mp4")]
    files = images + chats + videos

    async def check_then_click(filled: FilledForm) -> tuple[str | None, list[str], Sent]:
        form = filled.page.get_by_role("form", name="举报表单")
        assert await form.get_by_label("商品链接").input_value() == link
        assert await form.get_by_label("被举报店铺").input_value() == ""
        assert await form.get_by_label("订单号").input_value() == \
            "8001234567890123, 8001234567890124"
        assert await form.get_by_label("举报说明").input_value() == case.statement
        for label, wanted in (("图片证据", images), ("视频证据", videos), ("聊天记录截图", chats)):
            names = await form.get_by_label(label).evaluate(
                "i => Array.from(i.files).map(f => f.name)")
            assert names == [p.name for p in wanted], label
        return await _click_as_the_human(filled)

    report_id, errors, _ = _run(ali, tmp_path, case, files, check_then_click, mode="report")
    assert errors == [] and report_id and report_id.startswith("JB")
    truth = ali.truth("aliexpress")
    assert len(truth["submissions"]) == 1
    submission = truth["submissions"][0]
    assert submission["kind"] == "report" and submission["report_id"] == report_id
    assert submission["appeal_type"] == "刷单" and submission["statement"] == case.statement
    assert submission["fields"]["product_link"] == link
    assert _sent(submission) == _hashes(files)
    fields = {f["name"]: f["field"] for f in submission["files"]}
    assert fields == {"盗图对比.png": "images", "聊天记录-chat.png": "chats",
                      "开箱视频.mp4": "videos"}
    filed = next(r for r in truth["reports"] if r["report_id"] == report_id)
    assert filed["order_numbers"] == case.order_numbers and filed["status"] == "待审核"


# --- autofill doctor ------------------------------------------------------------------------------


def test_doctor_finds_every_element_the_flows_rely_on_even_scrambled(
        ali: Sandbox, logged_in: Workspace) -> None:
    ali.faults(scramble=True)
    result = logged_in.run("doctor", "--store", STORE)
    assert result.code == 0, result.stderr
    pages = ("处罚记录", "处罚详情", "申请申诉", "我的申诉", "申诉详情", "发起举报", "商品详情")
    for page in pages:
        assert page in result.stderr, page


def test_doctor_names_the_appeal_field_that_changed(ali: Sandbox, logged_in: Workspace) -> None:
    ali.state("aliexpress", form_variant="renamed_field")
    result = logged_in.run("doctor", "--store", STORE)
    assert result.code == 1, result.stderr
    assert "申诉说明 field" in result.stderr and "Traceback" not in result.stderr
