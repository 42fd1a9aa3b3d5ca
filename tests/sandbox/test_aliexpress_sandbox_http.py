"""The AliExpress sandbox over real HTTP: login, CSRF, uploads, the 7-day window, one supplement,
reports, non-appealable records, and truth that matches the 处罚记录 pages (SPEC.md)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from autofill.sandbox.clock import iso, parse_iso
from autofill.sandbox.config import SandboxConfig
from autofill.sandbox.server import running

AE = "/aliexpress"
VIOLIST = f"{AE}/m_apps/violation/pop-violist"
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%sandbox\n"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(SandboxConfig(seed=11, listings=120, test_hooks=True)) as url:
        yield url


@pytest.fixture
def hooks(base: str) -> Iterator[httpx.Client]:
    """The test hooks, with the sandbox back in its seeded state before and after the test."""
    with httpx.Client(base_url=base, timeout=10) as client:
        client.post("/__sandbox__/reset", json={}).raise_for_status()
        yield client
        client.post("/__sandbox__/reset", json={}).raise_for_status()


@pytest.fixture
def seller(base: str, hooks: httpx.Client) -> Iterator[httpx.Client]:
    """A browser-like client logged in with the demo account."""
    with httpx.Client(base_url=base, timeout=10) as client:
        page = client.get(f"{AE}/login")
        reply = client.post(f"{AE}/login", data={
            "csrf_token": csrf(page.text), "account": "demo@seller.example",
            "password": "sandbox-demo", "next": f"{AE}/",
        })
        assert reply.status_code == 303, reply.text
        yield client


def truth(hooks: httpx.Client) -> dict[str, Any]:
    return hooks.get("/__sandbox__/truth").json()["aliexpress"]


def set_state(hooks: httpx.Client, **payload: Any) -> None:
    reply = hooks.post("/__sandbox__/aliexpress/state", json=payload)
    assert reply.status_code == 200, reply.text


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def alerts(page: str) -> str:
    """The text of the page's role=alert blocks."""
    return " ".join(re.sub(r"<[^>]+>", " ", m) for m in
                    re.findall(r'role="alert"[^>]*>(.*?)</div>', page, re.S))


def notice(data: dict[str, Any], **match: Any) -> dict[str, Any]:
    return next(n for n in data["notices"] if all(n[k] == v for k, v in match.items()))


def appeal_files(form_page: str, files: list[tuple[str, bytes, str]], **fields: str) -> dict:
    data = {"csrf_token": csrf(form_page), "reason": "其他",
            "statement": "依据 Rule 4.2.1,本店已按时发货,物流轨迹截图见附件。", **fields}
    return {"data": data, "files": [("evidence", f) for f in files]}


class _Tables(HTMLParser):
    """Rows of the table with a given caption: each cell's text and its links' aria-labels."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.caption, self.rows = caption, []
        self._table_depth = 0
        self._in_caption = False
        self._caption_text = ""
        self._wanted = False
        self._cell: dict[str, Any] | None = None
        self._row: list[dict[str, Any]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "table":
            self._table_depth, self._wanted, self._caption_text = 1, False, ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._wanted:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = {"text": "", "links": [], "times": []}
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(attr.get("aria-label") or "")
        elif tag == "time" and self._cell is not None:
            self._cell["times"].append(attr.get("datetime"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
            self._wanted = self._caption_text.strip() == self.caption
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._cell["text"] = " ".join(self._cell["text"].split())
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self._caption_text += data
        elif self._cell is not None:
            self._cell["text"] += data


def table_rows(page: str, caption: str) -> list[list[dict[str, Any]]]:
    parser = _Tables(caption)
    parser.feed(page)
    return parser.rows


def all_record_rows(seller: httpx.Client) -> list[list[dict[str, Any]]]:
    rows, url = [], VIOLIST
    while url:
        page = seller.get(url).text
        rows += table_rows(page, "处罚记录")
        found = re.search(r'<a href="([^"]+)">下一页</a>', page)
        url = found.group(1).replace("&amp;", "&") if found else ""
    return rows


def utc(text: str | None) -> str | None:
    return iso(parse_iso(text)) if text else None


# -- session, CSRF, encoding --------------------------------------------------------------------


def test_pages_need_a_login_and_send_visitors_to_the_login_page(base: str) -> None:
    with httpx.Client(base_url=base) as visitor:
        reply = visitor.get(f"{VIOLIST}?page=2")
        assert reply.status_code == 303
        assert reply.headers["location"] == f"{AE}/login?next={VIOLIST}%3Fpage%3D2"
        login = visitor.get(f"{AE}/login")
        assert "账号" in login.text and "密码" in login.text and ">登录<" in login.text
        wrong = visitor.post(f"{AE}/login", data={
            "csrf_token": csrf(login.text), "account": "demo@seller.example", "password": "x"})
        assert wrong.status_code == 400 and "账号或密码错误。" in alerts(wrong.text)


def test_chinese_pages_are_served_as_utf8(seller: httpx.Client) -> None:
    reply = seller.get(VIOLIST)
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    body = reply.content.decode("utf-8")
    assert '<html lang="zh-CN">' in body and '<meta charset="utf-8">' in body
    assert "<h1>处罚记录</h1>" in body and "<caption>处罚记录</caption>" in body
    assert "我的速卖通" in body and "账户表现" in body


def test_a_post_without_the_csrf_token_is_refused(seller: httpx.Client,
                                                   hooks: httpx.Client) -> None:
    record = notice(truth(hooks), appeal_open=True)
    reply = seller.post(f"{AE}/m_apps/violation/appeal?punishId={record['notice_id']}",
                        data={"reason": "其他", "statement": "Rule 3.1.2"},
                        files=[("evidence", ("a.jpg", JPG, "image/jpeg"))])
    assert reply.status_code == 403
    assert "安全校验失败(CSRF)" in alerts(reply.text)
    assert truth(hooks)["submissions"] == []


# -- the appeal form ----------------------------------------------------------------------------


def test_uploads_are_checked_with_the_sites_chinese_messages(seller: httpx.Client,
                                                             hooks: httpx.Client) -> None:
    record = notice(truth(hooks), appeal_open=True)
    url = f"{AE}/m_apps/violation/appeal?punishId={record['notice_id']}"
    form = seller.get(url).text
    big = b"%PDF-" + b"0" * (5 * 1024 * 1024)
    sent = appeal_files(form, [("说明.txt", b"hello", "text/plain"),
                               ("fake.jpg", b"not a jpeg", "image/jpeg"),
                               ("big.pdf", big, "application/pdf"),
                               ("empty.png", b"", "image/png")], reason="")
    reply = seller.post(url, **sent)
    assert reply.status_code == 400
    text = alerts(reply.text)
    assert "请选择申诉理由。" in text
    assert "说明.txt:仅支持 JPG、PNG、PDF 格式的文件。" in text
    assert "fake.jpg:仅支持 JPG、PNG、PDF 格式的文件。" in text  # magic bytes, not the name
    assert "big.pdf:文件大小不能超过5MB。" in text
    assert "empty.png:文件为空。" in text

    six = [(f"p{i}.png", PNG, "image/png") for i in range(6)]
    reply = seller.post(url, **appeal_files(form, six, statement=""))
    assert "最多上传5个文件。" in alerts(reply.text) and "请填写申诉说明。" in alerts(reply.text)
    reply = seller.post(url, **appeal_files(form, [], statement="长" * 501))
    assert "申诉说明不能超过500字。" in alerts(reply.text)
    assert "请上传至少一个证据材料。" in alerts(reply.text)
    assert truth(hooks)["submissions"] == []


def test_an_appeal_is_recorded_with_hashes_and_the_entry_disappears(seller: httpx.Client,
                                                                    hooks: httpx.Client) -> None:
    record = notice(truth(hooks), appeal_open=True)
    url = f"{AE}/m_apps/violation/appeal?punishId={record['notice_id']}"
    form = seller.get(url).text
    sent = appeal_files(form, [("物流轨迹.jpg", JPG, "image/jpeg"),
                               ("invoice.pdf", PDF, "application/pdf")])
    reply = seller.post(url, **sent)
    assert reply.status_code == 303
    page = seller.get(reply.headers["location"])
    appeal_id = re.search(r"申诉已提交,申诉编号:(AP\d{8})。", page.text).group(1)

    data = truth(hooks)
    assert notice(data, notice_id=record["notice_id"])["status_label"] == "申诉中"
    assert next(a for a in data["appeals"] if a["appeal_id"] == appeal_id)["status"] == "submitted"
    [submission] = data["submissions"]
    assert submission["kind"] == "appeal" and submission["notice_id"] == record["notice_id"]
    assert submission["statement"] == sent["data"]["statement"]
    assert [(f["name"], f["size"], f["sha256"]) for f in submission["files"]] == [
        ("物流轨迹.jpg", len(JPG), hashlib.sha256(JPG).hexdigest()),
        ("invoice.pdf", len(PDF), hashlib.sha256(PDF).hexdigest()),
    ]
    listing = seller.get(f"{VIOLIST}?punishId={record['notice_id']}").text
    assert f"申请申诉 {record['notice_id']}" not in listing
    again = seller.post(url, **appeal_files(form, [("a.jpg", JPG, "image/jpeg")]))
    assert again.status_code == 409 and "每条处罚记录仅可申诉一次" in alerts(again.text)


def test_a_changed_form_shows_up_as_the_site_changes_it(seller: httpx.Client,
                                                         hooks: httpx.Client) -> None:
    record = notice(truth(hooks), appeal_open=True)
    url = f"{AE}/m_apps/violation/appeal?punishId={record['notice_id']}"
    set_state(hooks, form_variant="renamed_field")
    assert '<label for="appeal-statement">申诉描述</label>' in seller.get(url).text
    set_state(hooks, form_variant="dropped_file_type")
    form = seller.get(url).text
    assert 'accept=".jpg,.jpeg,.png"' in form
    reply = seller.post(url, **appeal_files(form, [("scan.pdf", PDF, "application/pdf")]))
    assert "scan.pdf:仅支持 JPG、PNG 格式的文件。" in alerts(reply.text)


# -- the 7-day window ---------------------------------------------------------------------------


def test_the_window_closes_seven_natural_days_after_delivery_not_after_reading(
    seller: httpx.Client, hooks: httpx.Client,
) -> None:
    record = notice(truth(hooks), kind="ip_copyright")  # read 60 h after delivery
    pid = record["notice_id"]
    issued = parse_iso(record["issued_at"])
    assert parse_iso(record["appeal_deadline"]) == issued + timedelta(days=7)
    assert parse_iso(record["viewed_at"]) > issued + timedelta(hours=48)
    url = f"{AE}/m_apps/violation/appeal?punishId={pid}"
    form = seller.get(url).text

    set_state(hooks, now=iso(issued + timedelta(days=7) - timedelta(minutes=1)))
    assert f"申请申诉 {pid}" in seller.get(f"{VIOLIST}?punishId={pid}").text

    set_state(hooks, now=iso(issued + timedelta(days=7, seconds=1)))
    row = table_rows(seller.get(f"{VIOLIST}?punishId={pid}").text, "处罚记录")[0]
    assert f"申请申诉 {pid}" not in row[-1]["links"]
    assert "申诉期已过" in row[-1]["text"] and row[7]["text"] == "生效中"
    assert "已截止" in row[8]["text"]
    refused = seller.get(url)
    assert refused.status_code == 403
    closed = "申诉期已过(处罚送达后7个自然日内可申诉),系统已自动关闭申诉入口。"
    assert closed in alerts(refused.text)
    posted = seller.post(url, **appeal_files(form, [("a.jpg", JPG, "image/jpeg")]))
    assert posted.status_code == 403 and "申诉期已过" in alerts(posted.text)
    data = truth(hooks)
    assert data["submissions"] == []
    assert notice(data, notice_id=pid)["appeal_open"] is False


def test_the_golden_72_hours_are_shown_while_they_last(seller: httpx.Client,
                                                      hooks: httpx.Client) -> None:
    record = notice(truth(hooks), kind="ip_trademark", appeal_open=True)
    issued = parse_iso(record["issued_at"])
    detail = f"{AE}/m_apps/violation/pop-viodetail?punishId={record['notice_id']}"
    set_state(hooks, now=iso(issued + timedelta(hours=71)))
    assert "黄金72小时" in seller.get(detail).text
    set_state(hooks, now=iso(issued + timedelta(hours=73)))
    page = seller.get(detail).text
    assert "黄金72小时" not in page and "申请申诉" in page


# -- supplements and rejections -----------------------------------------------------------------


def test_only_one_supplement_is_accepted(seller: httpx.Client, hooks: httpx.Client) -> None:
    appeal = next(a for a in truth(hooks)["appeals"] if a["status"] == "info_requested")
    url = f"{AE}/m_apps/violation/pop-appealdetail?appealId={appeal['appeal_id']}"
    page = seller.get(url).text
    assert 'aria-label="补充材料"' in page and "已提交 0/1" in page
    token = csrf(page)
    first = seller.post(url, data={"csrf_token": token, "statement": "补充物流轨迹,订单号见附件。"},
                        files=[("evidence", ("轨迹.png", PNG, "image/png"))])
    assert first.status_code == 200 and "补充材料已提交。" in first.text
    assert "已提交 1/1" in first.text

    set_state(hooks, appeal={"appeal_id": appeal["appeal_id"], "status": "需补充材料"})
    page = seller.get(url).text
    assert 'aria-label="补充材料"' not in page
    assert "每次申诉仅可提交1次补充材料,您已提交过补充材料。" in page
    second = seller.post(url, data={"csrf_token": token, "statement": "再次补充"},
                         files=[("evidence", ("b.png", PNG, "image/png"))])
    assert second.status_code == 409
    assert "每次申诉仅可提交1次补充材料" in alerts(second.text)
    data = truth(hooks)
    assert [s["kind"] for s in data["submissions"]] == ["supplement"]
    assert next(a for a in data["appeals"]
                if a["appeal_id"] == appeal["appeal_id"])["supplements_used"] == 1


def test_an_unanswered_request_for_material_closes_the_appeal(seller: httpx.Client,
                                                              hooks: httpx.Client) -> None:
    appeal = next(a for a in truth(hooks)["appeals"] if a["status"] == "info_requested")
    url = f"{AE}/m_apps/violation/pop-appealdetail?appealId={appeal['appeal_id']}"
    token = csrf(seller.get(url).text)
    deadline = parse_iso(appeal["info_request_deadline"])
    set_state(hooks, now=iso(deadline + timedelta(seconds=1)))
    late = seller.post(url, data={"csrf_token": token, "statement": "补充"},
                       files=[("evidence", ("a.png", PNG, "image/png"))])
    assert late.status_code == 409 and "补充材料期限已过,申诉已关闭。" in alerts(late.text)
    closed = next(a for a in truth(hooks)["appeals"] if a["appeal_id"] == appeal["appeal_id"])
    assert closed["status"] == "closed" and closed["status_label"] == "已关闭"


def test_a_rejection_shows_its_deficiency_code_and_checklist_item(seller: httpx.Client,
                                                                 hooks: httpx.Client) -> None:
    appeal = next(a for a in truth(hooks)["appeals"] if a["status"] == "under_review")
    set_state(hooks, appeal={"appeal_id": appeal["appeal_id"], "status": "rejected",
                             "rejection_code": "EDC-207"})
    page = seller.get(f"{AE}/m_apps/violation/pop-appealdetail?appealId={appeal['appeal_id']}")
    assert 'aria-label="驳回详情"' in page.text
    assert "<dd>EDC-207</dd>" in page.text and "<dd>时间信息缺失</dd>" in page.text
    assert "《Evidence Submission Checklist》第3项" in page.text
    rejected = next(a for a in truth(hooks)["appeals"] if a["appeal_id"] == appeal["appeal_id"])
    assert rejected["status"] == "rejected" and rejected["rejection_code"] == "EDC-207"


# -- records that cannot be appealed, account requirements --------------------------------------


def test_records_from_reports_and_editable_returns_offer_no_appeal(seller: httpx.Client,
                                                                  hooks: httpx.Client) -> None:
    data = truth(hooks)
    cases = {"report": "不可申诉(举报成立)", "audit": "请编辑后重新提交"}
    messages = {"report": "该处罚源自举报成立,不支持申诉。",
                "audit": "该商品已退回编辑,不支持申诉,请编辑后重新提交。"}
    for origin, shown in cases.items():
        record = notice(data, origin=origin)
        assert record["appealable"] is False and record["appeal_deadline"] is None
        pid = record["notice_id"]
        row = table_rows(seller.get(f"{VIOLIST}?punishId={pid}").text, "处罚记录")[0]
        assert shown in row[-1]["text"] and f"申请申诉 {pid}" not in row[-1]["links"]
        refused = seller.get(f"{AE}/m_apps/violation/appeal?punishId={pid}")
        assert refused.status_code == 403 and messages[origin] in alerts(refused.text)


def test_appeals_need_enterprise_verification_and_kyc(seller: httpx.Client,
                                                      hooks: httpx.Client) -> None:
    record = notice(truth(hooks), appeal_open=True)
    set_state(hooks, account={"kyc": "未完成"})
    refused = seller.get(f"{AE}/m_apps/violation/appeal?punishId={record['notice_id']}")
    assert refused.status_code == 403
    assert "您的账户尚未完成企业认证、对公账户绑定或KYC实名核验" in alerts(refused.text)
    health = seller.get(f"{AE}/m_apps/account-health/pop-accounthealth").text
    assert "<dt>KYC实名核验</dt><dd>未完成</dd>" in health
    assert "<caption>违规积分(近365天)</caption>" in health


def test_the_state_hook_refuses_unknown_switches(hooks: httpx.Client) -> None:
    reply = hooks.post("/__sandbox__/aliexpress/state", json={"colour": "red"})
    assert reply.status_code == 400 and "colour" in reply.json()["error"]
    reply = hooks.post("/__sandbox__/aliexpress/state",
                       json={"appeal": {"appeal_id": "AP00000000", "status": "rejected"}})
    assert reply.status_code == 400


# -- 举报中心 -------------------------------------------------------------------------------------


def test_a_report_with_images_video_orders_and_chats_appears_in_truth(
    seller: httpx.Client, hooks: httpx.Client,
) -> None:
    url = f"{AE}/m_apps/violation/report-center/new"
    form = seller.get(url).text
    assert 'aria-label="举报表单"' in form
    data = {"csrf_token": csrf(form), "report_type": "刷单", "reported_store": "Sunny Deals Store",
            "product_link": "https://www.aliexpress.com/item/1005006123456789.html",
            "order_numbers": "8123456789012345, 8123456789012346",
            "statement": "该店铺通过虚假订单刷销量,订单号与聊天记录见附件。"}
    files = [("images", ("盗图对比.jpg", JPG, "image/jpeg")),
             ("videos", ("录屏.mp4", MP4, "video/mp4")),
             ("chats", ("聊天记录.png", PNG, "image/png"))]
    reply = seller.post(url, data=data, files=files)
    assert reply.status_code == 303
    page = seller.get(reply.headers["location"]).text
    report_id = re.search(r"举报已提交,举报编号:(JB\d{8})。", page).group(1)

    truth_now = truth(hooks)
    [submission] = truth_now["submissions"]
    assert submission["kind"] == "report" and submission["report_id"] == report_id
    assert submission["appeal_type"] == "刷单" and submission["statement"] == data["statement"]
    assert submission["fields"]["order_numbers"] == data["order_numbers"]
    assert [(f["field"], f["name"], f["sha256"]) for f in submission["files"]] == [
        ("images", "盗图对比.jpg", hashlib.sha256(JPG).hexdigest()),
        ("videos", "录屏.mp4", hashlib.sha256(MP4).hexdigest()),
        ("chats", "聊天记录.png", hashlib.sha256(PNG).hexdigest()),
    ]
    report = next(r for r in truth_now["reports"] if r["report_id"] == report_id)
    assert report["order_numbers"] == ["8123456789012345", "8123456789012346"]
    assert report["status"] == "待审核"
    listed = table_rows(seller.get(f"{AE}/m_apps/violation/report-center").text, "我发起的举报")
    assert report_id in [row[0]["text"] for row in listed]


def test_a_report_is_validated_in_chinese(seller: httpx.Client, hooks: httpx.Client) -> None:
    url = f"{AE}/m_apps/violation/report-center/new"
    form = seller.get(url).text
    reply = seller.post(url, data={"csrf_token": csrf(form), "report_type": "刷单",
                                   "product_link": "https://example.com/x", "statement": ""},
                        files=[("videos", ("clip.mov", b"\x00\x00\x00\x14ftypqt  ", "video/mp4"))])
    assert reply.status_code == 400
    text = alerts(reply.text)
    for message in ("商品链接格式不正确", "举报刷单须填写相关订单号。", "请填写举报说明。",
                    "clip.mov:仅支持 MP4 格式的视频。"):
        assert message in text
    assert truth(hooks)["submissions"] == []


# -- truth agrees with the pages ----------------------------------------------------------------


def test_truth_matches_the_penalty_record_pages(seller: httpx.Client, hooks: httpx.Client) -> None:
    data = truth(hooks)
    rows = all_record_rows(seller)
    assert len(rows) == len(data["notices"])
    by_id = {n["notice_id"]: n for n in data["notices"]}
    for row in rows:
        pid = row[0]["text"]
        record = by_id[pid]
        assert row[2]["text"] == record["violation_type"]
        assert row[3]["text"] == record["rule_ref"] and re.fullmatch(r"Rule \d+\.\d+\.\d+",
                                                                     row[3]["text"])
        assert int(row[4]["text"]) == record["points"]
        assert utc(row[5]["times"][0]) == record["issued_at"]
        assert row[7]["text"] == record["status_label"]
        assert utc(row[8]["times"][0] if row[8]["times"] else None) == record["appeal_deadline"]
        assert (f"申请申诉 {pid}" in row[9]["links"]) == record["appeal_open"]
    kinds = {n["kind"] for n in data["notices"]}
    assert {"report_image_theft", "editable_return", "quality_duplicate", "retired"} <= kinds
    assert any(len(n["listing_ids"]) >= 8 for n in data["notices"])
    not_active = [x for x in data["listings"] if x["status"] != "active"]
    assert len(not_active) == len(data["listings"]) // 5
    assert {a["status"] for a in data["appeals"]} == {
        "submitted", "under_review", "info_requested", "approved", "rejected", "closed"}


def test_scrambled_markup_keeps_labels_and_the_appeal_entries(seller: httpx.Client,
                                                              hooks: httpx.Client) -> None:
    hooks.post("/__sandbox__/faults", json={"scramble": True}).raise_for_status()
    page = seller.get(VIOLIST).text
    assert "data-shuffle" not in page and 'class="golden"' not in page
    open_ids = {n["notice_id"] for n in truth(hooks)["notices"] if n["appeal_open"]}
    shown = set(re.findall(r'aria-label="申请申诉 (\d{12})"', page))
    first_page = {row[0]["text"] for row in table_rows(page, "处罚记录")}
    assert shown == open_ids & first_page


def test_same_seed_same_store(base: str, hooks: httpx.Client) -> None:
    first = truth(hooks)
    hooks.post("/__sandbox__/reset", json={}).raise_for_status()
    again = truth(hooks)
    assert first["notices"] == again["notices"] and first["listings"] == again["listings"]
