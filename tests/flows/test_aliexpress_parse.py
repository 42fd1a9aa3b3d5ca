"""The AliExpress flow's page-text parsing, without a browser: 北京时间 to UTC, the record row's
appealability, page counts, the account's figures."""

from __future__ import annotations

from datetime import datetime, timezone

from flows.aliexpress import parse


def _row(**cells: str) -> dict:
    base = {"处罚编号": "310004562281", "违规大类": "交易违规", "违规小类": "交易违规 / 虚假发货",
            "违规规则": "Rule 4.2.1", "扣分": "2", "送达时间": "2026-11-20 16:15:00",
            "查看时间": "未查看", "处罚状态": "待申诉",
            "申诉截止": "2026-11-27 16:15:00 剩余6天23小时 黄金72小时",
            "操作": "查看详情 申请申诉"}
    return {"cells": {**base, **cells}, "links": {}}


def test_beijing_time_on_the_page_is_utc_eight_hours_earlier() -> None:
    assert parse.beijing("2026-11-20 16:15:00") == datetime(
        2026, 11, 20, 8, 15, tzinfo=timezone.utc)
    assert parse.beijing("2026-01-01 03:00:00 剩余5小时") == datetime(
        2025, 12, 31, 19, 0, tzinfo=timezone.utc), "crosses midnight and the year back"
    assert parse.beijing("2026-11-20T16:15:00+08:00") == datetime(
        2026, 11, 20, 8, 15, tzinfo=timezone.utc)
    assert parse.beijing("2026-11-20T08:15:00Z") == datetime(
        2026, 11, 20, 8, 15, tzinfo=timezone.utc)
    assert parse.iso_utc(parse.beijing("2026-11-20 16:15:00")) == "2026-11-20T08:15:00Z"
    for empty in ("—", "未查看", "", "不可申诉"):
        assert parse.beijing(empty) is None


def test_an_open_record_is_appealable_with_its_deadline_and_points() -> None:
    notice = parse.notice_from_record(_row(), ["1005000000000001", "1005000000000001"])
    assert notice.appealable and notice.points == 2 and notice.kind == "交易违规"
    assert notice.listing_ids == ("1005000000000001",)
    assert notice.issued_at == datetime(2026, 11, 20, 8, 15, tzinfo=timezone.utc)
    assert notice.appeal_deadline == datetime(2026, 11, 27, 8, 15, tzinfo=timezone.utc)


def test_a_closed_window_keeps_the_record_appealable_in_kind_with_its_past_deadline() -> None:
    notice = parse.notice_from_record(_row(申诉截止="2026-11-27 16:15:00 已截止",
                                           操作="查看详情 申诉期已过"), [])
    assert notice.appealable and notice.appeal_deadline is not None


def test_report_derived_and_editable_records_are_never_appealable() -> None:
    for action in ("查看详情 不可申诉(举报成立)", "查看详情 请编辑后重新提交 编辑商品"):
        notice = parse.notice_from_record(_row(申诉截止="—", 操作=action, 扣分="0"), [])
        assert not notice.appealable and notice.appeal_deadline is None and notice.points == 0


def test_page_count_and_ids_in_the_sites_sentences() -> None:
    assert parse.page_count("上一页 第 2 / 5 页 下一页") == 5
    assert parse.page_count("") == 1
    assert parse.appeal_id_in("申诉已提交,申诉编号:AP12345678。") == "AP12345678"
    assert parse.report_id_in("举报已提交,举报编号:JB87654321。") == "JB87654321"
    assert parse.money("US $1,234.50") == 1234.5 and parse.money("—") is None


def test_account_figures_use_stable_keys_and_the_chinese_legal_name() -> None:
    terms = {"账户状态": {"text": "正常"}, "KYC实名核验": {"text": "已完成"},
             "卖家教育考试": {"text": "已通过(95分)"}}
    tallies = [{"cells": {"积分类型": "交易违规及其他", "当前扣分": "12"}, "links": {}}]
    profile = {"公司名称": {"text": "深圳市示例贸易有限公司"}}
    counters = {"待回应": {"text": "5"}}
    account = parse.account_from(terms, tallies, profile, counters)
    assert account.is_active and account.legal_name == "深圳市示例贸易有限公司"
    assert account.figures == {"points.trade": "12", "kyc": "已完成", "exam": "已通过(95分)",
                               "pending_response": "5"}
