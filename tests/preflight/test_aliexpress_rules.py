"""Every rule of the AliExpress rulepack: a bundle failing it (and nothing else), and bundles
passing; the evidence-deficiency codes each mapped to the rules that prevent them; report cases.

The passing baselines: an appeal against a 虚假发货 penalty (Rule 4.2.1) delivered four days ago,
with an order snapshot, a shipping order and a tracking screenshot whose facts are declared; a 盗图
report with the original photo and a screenshot of the copying product page; a 刷单 report with
order numbers, a chat screenshot with the buyer ID and an MP4 video. Each FAILING row changes one
thing about one of them (penalty records and appeals are built by hand with the words of the
sandbox's catalogue, autofill/sandbox/aliexpress/SPEC.md, and scanned into a temporary Store).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autofill import ledger
from autofill.bundle import ReportCase, load_case
from autofill.checking import CASE_INVALID, check_case, check_workspace
from autofill.errors import BadInput
from autofill.models import Account, Appeal, Listing, Notice
from autofill.rulepack import load_rulepack
from autofill.sandbox.aliexpress.catalogue import DEFICIENCIES, KINDS, REPORT_TYPES
from autofill.store import Store
from autofill.workspace import Workspace
from tests.preflight import builders as b
from tests.preflight.conftest import World

ROOT = Path(__file__).parents[2]
SPEC = ROOT / "autofill" / "sandbox" / "aliexpress" / "SPEC.md"

STORE = "ali-main"  # platform aliexpress in builders.write_config
NOTICE_ID = "310004562281"
LISTING_ID = "1005006123456789"
RULE = "Rule 4.2.1"
FAKE_SHIPPING = "虚假发货"
ORDER = "8001234567890123"
TRACKING = "LP00123456789012"
LEGAL_NAME = "深圳市示例贸易有限公司"
LINK = "https://www.aliexpress.com/item/1005009999999999.html"


# --- a scanned AliExpress store ----------------------------------------------------------------
def notice(
    notice_id: str = NOTICE_ID,
    violation_type: str = FAKE_SHIPPING,
    rule_ref: str = RULE,
    *,
    delivered_hours_ago: float = 96,
    appealable: bool = True,
    deadline: datetime | None | bool = True,
    listing_ids: tuple[str, ...] = (LISTING_ID,),
) -> Notice:
    """A 处罚记录 delivered `delivered_hours_ago`; its deadline is 7 natural days after delivery
    (deadline=True), as given, or unknown (None)."""
    issued = b.NOW - timedelta(hours=delivered_hours_ago)
    due = issued + timedelta(days=7) if deadline is True else deadline or None
    return Notice(
        notice_id=notice_id,
        listing_ids=listing_ids,
        violation_type=violation_type,
        rule_ref=rule_ref,
        issued_at=issued,
        appeal_deadline=due if appealable else None,
        points=2,
        appealable=appealable,
        kind="交易违规",
    )


def listing(listing_id: str = LISTING_ID, notice_id: str = NOTICE_ID) -> Listing:
    return Listing(listing_id=listing_id, sku="SKU-000123", title="蓝牙耳机", model="X100",
                   status="warning", status_label="待整改", notice_id=notice_id)


FIGURES = {
    "enterprise_verification": "已认证",
    "corporate_account": "已绑定",
    "kyc": "已完成",
    "exam": "已通过(95分)",
}


def account(**figures: str) -> Account:
    return Account(state="正常", legal_name=LEGAL_NAME, figures={**FIGURES, **figures})


def appeal(status: str, *, supplements: int = 0, due_hours: float | None = None) -> Appeal:
    return Appeal(
        appeal_id="AP12345678", notice_id=NOTICE_ID, listing_id=LISTING_ID,
        status=status,  # type: ignore[arg-type]
        submitted_at=b.NOW - timedelta(days=2), supplements_used=supplements,
        info_request_deadline=b.NOW + timedelta(hours=due_hours) if due_hours is not None
        else None,
    )


def scan(store: Store, **kwargs: Any) -> None:
    defaults: dict[str, Any] = {
        "notices": [notice()], "listings": [listing()], "account": account(),
        "store_name": STORE, "platform": "aliexpress",
    }
    b.scan_into(store, **{**defaults, **kwargs})


# --- evidence files ----------------------------------------------------------------------------
def mp4(path: Path, extra: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * (64 + extra))
    return path


def _padded(make: Callable[[Path], object], megabytes: float) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        make(path)
        with path.open("ab") as handle:
            handle.write(b"\x00" * int(megabytes * 1024 * 1024))

    return build


# --- bundles -----------------------------------------------------------------------------------
STATEMENT = (
    f"处罚编号 {NOTICE_ID},违规规则 {RULE}(虚假发货)。订单 {ORDER} 已于 2026-05-26 由云途物流揽收,"
    f"物流单号 {TRACKING};物流轨迹截图显示揽收与转运时间。所附证据均为原始截图,"
    f"请依据 {RULE} 复核并撤销该处罚。"
)


def appeal_fields() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "appeal",
        "store": STORE,
        "platform": "aliexpress",
        "notice_id": NOTICE_ID,
        "listing_ids": [LISTING_ID],
        "appeal_type": "已真实发货",
        "statement": STATEMENT,
        "evidence": [
            {"file": "order-snapshot.png", "kind": "order_record", "shows_timestamp": True,
             "order_number": ORDER, "product_id": LISTING_ID, "tracking_number": TRACKING},
            {"file": "shipping-order.pdf", "kind": "shipping_order", "shows_timestamp": True},
            {"file": "tracking.png", "kind": "tracking_screenshot", "shows_timestamp": True,
             "shows_url_bar": True},
        ],
        "confirmations": {"documents_unedited": True},
    }


def good_appeal(case_dir: Path) -> b.Bundle:
    b.png(case_dir / "order-snapshot.png")
    b.image_pdf(case_dir / "shipping-order.pdf", dpi=150)
    b.png(case_dir / "tracking.png")
    return b.Bundle(case_dir, appeal_fields())


THEFT_STATEMENT = (
    f"被举报商品 {LINK} 使用了我方商品 {LISTING_ID} 的原创主图:原图拍摄于 2026-03-02,"
    "文件保留拍摄时间;对方商品页面截图含地址栏与截图时间。"
)


def good_theft_report(case_dir: Path) -> b.Bundle:
    b.jpeg(case_dir / "original-photo.jpg", dpi=None)
    b.png(case_dir / "reported-listing.png")
    return b.Bundle(case_dir, {
        "schema_version": 1,
        "kind": "report",
        "store": STORE,
        "platform": "aliexpress",
        "report_type": "盗图",
        "target": LINK,
        "order_numbers": [],
        "statement": THEFT_STATEMENT,
        "evidence": [
            {"file": "original-photo.jpg", "kind": "original_images", "shows_timestamp": True},
            {"file": "reported-listing.png", "kind": "reported_listing_screenshot",
             "shows_timestamp": True, "shows_url_bar": True},
        ],
        "confirmations": {"documents_unedited": True},
    })


FAKE_ORDERS_STATEMENT = (
    "该店铺通过虚假订单刷单提升销量:订单 8001234567890123、8001234567890124 的买家 "
    "cn1522334455 在聊天中承认收款刷单,附聊天记录(含买家ID)与录屏视频。"
)


def good_fake_orders_report(case_dir: Path) -> b.Bundle:
    b.png(case_dir / "聊天记录-chat.png")
    b.png(case_dir / "reported-listing.png")
    mp4(case_dir / "录屏.mp4")
    return b.Bundle(case_dir, {
        "schema_version": 1,
        "kind": "report",
        "store": STORE,
        "platform": "aliexpress",
        "report_type": "刷单",
        "target": "Sunny Deals Store",
        "order_numbers": ["8001234567890123", "8001234567890124"],
        "statement": FAKE_ORDERS_STATEMENT,
        "evidence": [
            {"file": "聊天记录-chat.png", "kind": "chat_screenshot", "shows_timestamp": True,
             "buyer_id": "cn1522334455"},
            {"file": "reported-listing.png", "kind": "reported_listing_screenshot",
             "shows_timestamp": True, "shows_url_bar": True},
            {"file": "录屏.mp4", "kind": "video"},
        ],
        "confirmations": {"documents_unedited": True},
    })


BASES: dict[str, Callable[[Path], b.Bundle]] = {
    "appeal": good_appeal,
    "theft": good_theft_report,
    "fake_orders": good_fake_orders_report,
}


@dataclass
class AliWorld(World):
    """A workspace whose AliExpress store has scanned one 虚假发货 penalty and its product."""

    def bundle(self, case_id: str = NOTICE_ID, base: str = "appeal") -> b.Bundle:
        return BASES[base](self.workspace.case_dir(case_id))


def ali_world(tmp_path: Path) -> Iterator[AliWorld]:
    """The world behind the `ali` fixture (other AliExpress test modules define it too)."""
    workspace = Workspace(tmp_path / "ws")
    b.write_config(workspace)
    store = Store(workspace.db_path)
    scan(store)
    yield AliWorld(workspace, store)
    store.close()


@pytest.fixture
def ali(tmp_path: Path) -> Iterator[AliWorld]:
    yield from ali_world(tmp_path)


# --- one change per rule -----------------------------------------------------------------------
Mutation = Callable[[AliWorld, b.Bundle, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class Row:
    rule: str
    mutate: Mutation
    base: str = "appeal"  # which good bundle the row changes
    mode: str | None = None  # None: as the case's kind says
    also: frozenset[str] = frozenset()  # rules that rightly fire together with this one


def _set(**changes: object) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields.update(changes)

    return mutate


def _statement(change: Callable[[str], str]) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields["statement"] = change(bundle.fields["statement"])

    return mutate


def _adding(sentence: str) -> Mutation:
    return _statement(lambda s: s.replace("请依据", sentence + "请依据"))


def _evidence(index: int, **changes: object) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        item = bundle.fields["evidence"][index]
        item.update(changes)
        for key in [k for k, v in changes.items() if v is None]:
            del item[key]

    return mutate


def _drop(index: int) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields["evidence"].pop(index)

    return mutate


def _add_file(name: str, make: Callable[[Path], object], kind: str = "other_document",
              **facts: object) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        make(bundle.case_dir / name)
        bundle.fields["evidence"].append({"file": name, "kind": kind, **facts})

    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        for one in mutations:
            one(world, bundle, mp)

    return mutate


def _rescan(**kwargs: Any) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        scan(world.store, **kwargs)

    return mutate


def _penalty(violation_type: str, rule_ref: str) -> Mutation:
    """A record the platform says cannot be appealed, cited correctly in the statement."""
    return _both(
        _rescan(notices=[notice(violation_type=violation_type, rule_ref=rule_ref,
                                appealable=False)]),
        _statement(lambda s: s.replace(RULE, rule_ref)),
    )


def _delivered(hours_ago: float, **kwargs: Any) -> Mutation:
    return _rescan(notices=[notice(delivered_hours_ago=hours_ago, **kwargs)])


def _appeals(*appeals: Appeal) -> Mutation:
    return _rescan(appeals=list(appeals))


def _sent_before(kind: str) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        ledger.append(bundle.write(), "submitted", notice_id=NOTICE_ID, appeal_id="AP12345678",
                      kind=kind, statement="补充说明", files=[])

    return mutate


def _unreadable(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    target = (bundle.case_dir / "tracking.png").resolve()
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target:
            raise PermissionError(13, "Permission denied")
        return real(self)

    mp.setattr(Path, "read_bytes", read_bytes)


def _duplicate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    shutil.copy(bundle.case_dir / "tracking.png", bundle.case_dir / "tracking-copy.png")
    bundle.fields["evidence"].append({"file": "tracking-copy.png", "kind": "product_photo"})


def _photos(count: int) -> Mutation:
    def mutate(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        for n in range(count):
            b.jpeg(bundle.case_dir / f"photo-{n}.jpg", dpi=None, size=(310 + n, 400))
            bundle.fields["evidence"].append({"file": f"photo-{n}.jpg", "kind": "product_photo"})

    return mutate


def _other_store(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    other = "310000000777"
    scan(world.store, notices=[notice(other)], listings=[listing(notice_id=other)],
         account=None, store_name="ali-second")
    bundle.fields["notice_id"] = other
    bundle.fields["statement"] = STATEMENT.replace(NOTICE_ID, other)


def _unscanned_store(world: AliWorld, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    other = "310000000888"
    scan(world.store, notices=[notice(other)], listings=[listing(notice_id=other)],
         account=None, store_name="ali-b")
    bundle.fields.update(store="ali-b", notice_id=other,
                         statement=STATEMENT.replace(NOTICE_ID, other))


CHAT = {"shows_timestamp": True, "buyer_id": "cn1522334455"}
S = STATEMENT
FAILING: list[Row] = [
    # the statement
    Row("statement_missing", _set(statement="")),
    Row("statement_unfinished",
        _statement(lambda s: s.replace("所附证据", "<事实:揽收时间> 所附证据"))),
    Row("statement_not_chinese", _set(statement=(
        f"Penalty {NOTICE_ID}, {RULE}: order {ORDER} was collected on 2026-05-26, tracking "
        f"{TRACKING}; the tracking screenshot shows it. Please review under {RULE}."))),
    Row("statement_too_long", _statement(lambda s: s + "物流轨迹显示已揽收。" * 50)),
    Row("statement_no_rule_ref", _statement(lambda s: s.replace(RULE, "相关规则"))),
    Row("statement_vague", _adding("我们认为该处罚不合理。")),
    Row("statement_sent_off_platform", _adding("面单原件已通过邮件发送给平台。")),
    Row("statement_separate_attachment", _adding("仓库出库记录见另行发送的附件。")),
    Row("statement_unofficial_channel", _adding("我们已在微信上联系过客服。")),
    # can it be appealed; reasons, types and the checklist
    Row("penalty_from_report", _penalty("盗图(举报成立)", "Rule 3.1.3")),
    Row("penalty_returned_for_editing", _penalty("商品信息不符(退回编辑)", "Rule 5.3.1")),
    Row("notice_final", _rescan(notices=[notice(appealable=False)])),
    Row("appeal_reason_invalid", _set(appeal_type="已发货")),
    Row("report_type_invalid", _set(report_type="侵权"), base="theft"),
    Row("evidence_missing", _drop(2)),
    Row("evidence_recommended", _both(_set(appeal_type="物流信息更新延迟"), _drop(1))),
    Row("evidence_kind_unknown", _add_file("selfie.jpg", lambda p: b.jpeg(p, dpi=None),
                                           kind="selfie")),
    # what the evidence shows (declared facts) and originality (confirmed)
    Row("evidence_no_timestamp", _evidence(2, shows_timestamp=False)),
    Row("screenshot_no_url_bar", _evidence(2, shows_url_bar=None)),
    Row("chat_no_buyer_id", _add_file("chat.png", b.png, kind="chat_screenshot",
                                      shows_timestamp=True)),
    Row("order_evidence_incomplete", _evidence(0, tracking_number=None)),
    Row("documents_unedited_unconfirmed", _set(confirmations={"documents_unedited": False})),
    # the files
    Row("evidence_none", _set(evidence=[]), also=frozenset({"evidence_missing"})),
    Row("report_evidence_none", _both(_drop(2), _drop(1)), base="fake_orders",
        also=frozenset({"evidence_recommended"})),
    Row("too_many_files", _photos(3)),
    Row("file_type_rejected", _add_file("clip.mp4", mp4, kind="video")),
    Row("file_empty", _add_file("empty.pdf", lambda p: p.write_bytes(b""))),
    Row("file_unreadable", _unreadable),
    Row("file_corrupt", _add_file("cut.jpg", lambda p: b.truncated(b.jpeg(p, dpi=None)))),
    Row("file_encrypted", _add_file("locked.pdf", b.encrypted_pdf)),
    Row("file_too_large", _add_file("big.png", _padded(b.png, 5))),
    Row("file_name_rejected", _add_file("物流:轨迹.png", b.png, kind="product_photo")),
    Row("file_duplicated", _duplicate),
    # the penalty record, the windows and what was sent before
    Row("notice_unknown", _set(notice_id="319999999999",
                               statement=S.replace(NOTICE_ID, "319999999999"))),
    Row("notice_other_store", _other_store, also=frozenset({"store_not_scanned"})),
    Row("platform_mismatch", _set(platform="joom")),
    Row("listing_not_in_notice", _set(listing_ids=[LISTING_ID, "1005000000000001"])),
    Row("appeal_window_closed", _delivered(7 * 24 + 2)),
    Row("appeal_deadline_soon", _delivered(150)),
    Row("golden_window_closing", _delivered(50)),
    Row("appeal_once", _appeals(appeal("rejected"))),
    Row("supplement_limit", _appeals(appeal("info_requested", supplements=1, due_hours=24)),
        mode="supplement"),
    Row("info_request_overdue", _appeals(appeal("info_requested", due_hours=-1)),
        mode="supplement"),
    # the account
    Row("store_not_scanned", _unscanned_store),
    Row("enterprise_not_verified", _rescan(account=account(enterprise_verification="审核中"))),
    Row("corporate_account_unbound", _rescan(account=account(corporate_account="未绑定"))),
    Row("kyc_incomplete", _rescan(account=account(kyc="未完成"))),
    Row("exam_not_passed", _rescan(account=account(exam="未通过(80分)"))),
    # a report's own fields
    Row("report_target_missing", _set(target=""), base="theft"),
    Row("report_link_invalid", _set(target="https://www.example.com/item/1005009999999999.html"),
        base="theft"),
    Row("report_order_number_invalid", _set(order_numbers=["8001234567890123", "12345"]),
        base="fake_orders"),
    Row("report_orders_missing", _set(order_numbers=[]), base="fake_orders"),
]


def _check(world: AliWorld, case_dir: Path, mode: str | None = None, lang: str = "en"):  # noqa: ANN202
    return check_case(world.workspace, case_dir, lang, store=world.store, now=b.NOW,
                      mode=mode)  # type: ignore[arg-type]


def _rules(world: AliWorld, case_dir: Path, mode: str | None = None) -> set[str]:
    return {f.rule for f in _check(world, case_dir, mode).findings}


@pytest.mark.parametrize("base", list(BASES))
def test_the_good_bundles_pass_every_rule(ali: AliWorld, base: str) -> None:
    report = _check(ali, ali.bundle(base=base).write())
    assert report.ok
    assert report.findings == []


@pytest.mark.parametrize("row", FAILING, ids=[r.rule for r in FAILING])
def test_each_rule_fails_its_bundle_and_nothing_else(
    ali: AliWorld, row: Row, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = ali.bundle(base=row.base)
    row.mutate(ali, bundle, monkeypatch)
    fired = _rules(ali, bundle.write(), row.mode)
    assert row.rule in fired
    assert fired - {row.rule} <= row.also, f"unexpected companions: {fired - {row.rule}}"


@pytest.mark.parametrize("row", FAILING, ids=[r.rule for r in FAILING])
def test_each_rule_passes_the_same_kind_of_bundle_unchanged(ali: AliWorld, row: Row) -> None:
    """The passing twin of each failing row: its base bundle, in its mode, with what the row's
    mode needs (an open request for more material for a supplement)."""
    if row.mode == "supplement":
        scan(ali.store, appeals=[appeal("info_requested", due_hours=24)])
    assert _rules(ali, ali.bundle(base=row.base).write(), row.mode) == set()


def test_every_rule_of_the_aliexpress_pack_has_a_failing_bundle() -> None:
    pack = load_rulepack("aliexpress")
    assert {r.id for r in pack.rules} == {row.rule for row in FAILING}


def test_the_pack_names_its_version_source_and_date() -> None:
    pack = load_rulepack("aliexpress")
    assert pack.platform == "aliexpress" and pack.version and pack.effective_date
    assert "aliexpress-report-and-appeal.zh.txt" in pack.source
    assert "PLATFORM-FACTS" in pack.source
    assert pack.statement.language == "zh" and pack.statement.max_chars == 500
    assert {a.type for a in pack.files.accepted} == {"jpeg", "png", "pdf"}
    assert pack.files.max_files == 5 and pack.files.max_bytes == 5 * 1024 * 1024
    assert pack.deadlines.appeal_window_hours == 7 * 24


def test_rule_texts_are_bilingual_and_severity_comes_from_the_pack(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _delivered(50)(ali, bundle, pytest.MonkeyPatch())
    zh = _check(ali, bundle.write(), lang="zh")
    assert [f.severity for f in zh.findings] == ["warning"] and zh.ok
    assert "黄金72小时" in zh.findings[0].message
    assert RULE in zh.findings[0].fix  # what to do first names the rule to cite


# --- the catalogue and the deficiency codes ----------------------------------------------------
@pytest.mark.parametrize("key", list(KINDS))
def test_every_catalogue_violation_gets_the_reasons_the_form_offers(key: str) -> None:
    kind = KINDS[key]
    violation = load_rulepack("aliexpress").violation_for(kind.subcategory)
    assert violation.appealable == kind.appealable
    assert [o.label for o in violation.appeal_types] == list(kind.reasons_offered)


def test_full_width_brackets_match_like_ascii_ones() -> None:
    pack = load_rulepack("aliexpress")
    assert pack.violation_for("虚假交易（信用炒作）").name == "trade_manipulation"
    assert pack.violation_for("售假（举报成立）").refusal == "report"


def test_the_report_types_are_the_forms_own_options() -> None:
    reports = load_rulepack("aliexpress").reports
    assert reports is not None
    assert tuple(o.label for o in reports.types) == REPORT_TYPES


def _spec_codes() -> dict[str, str]:
    """SPEC.md's evidence-deficiency table: code -> checklist item (as the site words it)."""
    rows = re.findall(r"^\| (EDC-\d+) \| [^|]+ \| ([^|]+) \|$", SPEC.read_text("utf-8"), re.M)
    return {code: item.strip() for code, item in rows}


def test_every_deficiency_code_the_sandbox_returns_maps_to_rules_that_exist() -> None:
    pack = load_rulepack("aliexpress")
    codes = _spec_codes()
    assert set(codes) == set(DEFICIENCIES) and "EDC-207" in codes
    rule_ids = {r.id for r in pack.rules}
    for code, item in codes.items():
        mapped = pack.deficiency_codes[code]
        assert mapped.rules and set(mapped.rules) <= rule_ids, code
        assert mapped.checklist == f"《Evidence Submission Checklist》{item}", code
        assert mapped.checklist == DEFICIENCIES[code].checklist, code
        assert mapped.label.zh == DEFICIENCIES[code].label, code


def test_a_rejection_code_leads_to_the_rule_that_prevents_it() -> None:
    pack = load_rulepack("aliexpress")
    assert [r.id for r in pack.rules_for_code("edc-207")] == ["evidence_no_timestamp"]
    assert pack.rules_for_code("EDC-999") == ()


def test_each_mapped_rule_names_its_code_in_its_message() -> None:
    pack = load_rulepack("aliexpress")
    for code, mapped in pack.deficiency_codes.items():
        named = [r for r in pack.rules if r.id in mapped.rules and code in r.message("zh")]
        assert named, f"no rule mapped to {code} mentions it"


def test_a_mapping_to_a_rule_that_does_not_exist_is_named(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    workspace.rulepack_dir.mkdir(parents=True)
    text = (ROOT / "rulepacks" / "aliexpress.yaml").read_text("utf-8")
    text = text.replace("rules: [screenshot_no_url_bar]", "rules: [screenshot_without_url]")
    (workspace.rulepack_dir / "aliexpress.yaml").write_text(text, "utf-8")
    with pytest.raises(BadInput, match=r"deficiency_codes\.EDC-211\.rules: no rule "
                                       r"'screenshot_without_url'"):
        load_rulepack("aliexpress", workspace)


# --- the windows: 7 natural days from delivery, the golden 72 hours ----------------------------
def test_the_window_closed_refusal_counts_7_days_from_delivery(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _delivered(7 * 24 + 0.5)(ali, bundle, pytest.MonkeyPatch())
    report = _check(ali, bundle.write(), lang="zh")
    assert not report.ok
    [closed] = [f for f in report.findings if f.rule == "appeal_window_closed"]
    assert closed.severity == "error" and "7个自然日" in closed.message
    assert "2026-06-01 08:30 UTC" in closed.message  # delivered 2026-05-25 08:30 UTC


def test_without_a_scanned_deadline_the_window_is_counted_from_delivery(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _delivered(8 * 24, deadline=None)(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == {"appeal_window_closed"}
    _delivered(6 * 24, deadline=None)(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == set()


def test_a_longer_window_the_site_shows_is_trusted(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _delivered(8 * 24, deadline=b.NOW + timedelta(days=5))(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == set()


@pytest.mark.parametrize(
    ("hours_ago", "expected"),
    [
        (2, set()),  # just delivered: the whole golden window ahead
        (47.5, set()),  # more than 24 h of it left
        (49, {"golden_window_closing"}),
        (71.9, {"golden_window_closing"}),
        (72, set()),  # the golden window has ended; 4 days of the 7 remain
        (143.5, set()),  # 24.5 h left of the 7 days
        (144.5, {"appeal_deadline_soon"}),
        (167.9, {"appeal_deadline_soon"}),
        (168.1, {"appeal_window_closed"}),
    ],
)
def test_the_golden_window_warns_in_its_last_day_and_the_deadline_in_the_last_day(
    ali: AliWorld, hours_ago: float, expected: set[str]
) -> None:
    bundle = ali.bundle()
    _delivered(hours_ago)(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == expected


def test_the_golden_window_warning_says_what_to_do_first(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _delivered(60)(ali, bundle, pytest.MonkeyPatch())
    [warning] = _check(ali, bundle.write()).findings
    assert warning.rule == "golden_window_closing" and "12 hours left" in warning.message
    assert warning.fix.startswith("First: 1. fix every error")


def test_windows_do_not_apply_to_a_supplement(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _delivered(7 * 24 + 5)(ali, bundle, pytest.MonkeyPatch())
    scan(ali.store, notices=[notice(delivered_hours_ago=7 * 24 + 5)],
         appeals=[appeal("info_requested", due_hours=24)])
    assert _rules(ali, bundle.write(), "supplement") == set()


# --- one appeal per record, one supplement per appeal -----------------------------------------
@pytest.mark.parametrize("status", ["submitted", "under_review", "approved", "rejected", "closed"])
def test_any_earlier_appeal_blocks_a_new_one(ali: AliWorld, status: str) -> None:
    bundle = ali.bundle()
    _appeals(appeal(status))(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == {"appeal_once"}


def test_an_appeal_in_the_ledger_blocks_a_new_one_before_any_scan(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _sent_before("appeal")(ali, bundle, pytest.MonkeyPatch())
    report = _check(ali, bundle.write())
    assert [f.rule for f in report.findings] == ["appeal_once"]
    assert "AP12345678" in report.findings[0].message


def test_the_one_supplement_limit_counts_the_ledger_too(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _appeals(appeal("info_requested", due_hours=24))(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write(), "supplement") == set()
    _sent_before("supplement")(ali, bundle, pytest.MonkeyPatch())
    report = _check(ali, bundle.write(), "supplement", lang="zh")
    assert [f.rule for f in report.findings] == ["supplement_limit"]
    assert "仅可提交1次补充材料" in report.findings[0].message


def test_the_supplement_limit_reads_the_scanned_count(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _appeals(appeal("info_requested", supplements=1, due_hours=24))(
        ali, bundle, pytest.MonkeyPatch())
    report = _check(ali, bundle.write(), "supplement")
    assert [(f.rule, f.where) for f in report.findings] == [
        ("supplement_limit", "appeal AP12345678")]


# --- edges of the other checks -----------------------------------------------------------------
def test_non_appealable_penalties_are_refused_with_their_own_fix(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _penalty("商品信息不符(退回编辑)", "Rule 5.3.1")(ali, bundle, pytest.MonkeyPatch())
    [finding] = _check(ali, bundle.write(), lang="zh").findings
    assert "请编辑后重新提交" in finding.message and "商品管理" in finding.fix
    bundle = ali.bundle()
    _penalty("售假(举报成立)", "Rule 3.2.1")(ali, bundle, pytest.MonkeyPatch())
    [finding] = _check(ali, bundle.write(), lang="zh").findings
    assert finding.rule == "penalty_from_report" and "举报成立" in finding.message


def test_chinese_file_names_are_fine(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _add_file("物流轨迹 截图(1).png", b.png, kind="product_photo")(
        ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == set()


def test_a_file_of_exactly_5_mb_is_accepted(ali: AliWorld) -> None:
    bundle = ali.bundle()
    path = b.png(bundle.case_dir / "exact.png")
    with path.open("ab") as handle:  # bytes after the image's end: still a readable PNG
        handle.write(b"\x00" * (5 * 1024 * 1024 - path.stat().st_size))
    bundle.fields["evidence"].append({"file": "exact.png", "kind": "product_photo"})
    assert _rules(ali, bundle.write()) == set()
    with path.open("ab") as handle:
        handle.write(b"\x00")
    assert _rules(ali, bundle.write()) == {"file_too_large"}


def test_a_statement_of_500_characters_fits(ali: AliWorld) -> None:
    bundle = ali.bundle()
    bundle.fields["statement"] = (S + "物流轨迹显示已揽收。" * 60)[:500]
    assert _rules(ali, bundle.write()) == set()


def test_english_words_inside_a_chinese_statement_are_fine(ali: AliWorld) -> None:
    bundle = ali.bundle()
    bundle.fields["statement"] = S.replace("云途物流", "YunExpress (Yuntu Logistics)")
    assert _rules(ali, bundle.write()) == set()


def test_the_rule_number_is_cited_whatever_the_spacing(ali: AliWorld) -> None:
    bundle = ali.bundle()
    bundle.fields["statement"] = S.replace(RULE, "rule 4.2.1")
    assert _rules(ali, bundle.write()) == set()
    bundle.fields["statement"] = S.replace(RULE, "Rule 4.2.10")
    assert _rules(ali, bundle.write()) == {"statement_no_rule_ref"}


@pytest.mark.parametrize("sentence", [
    "材料已经通过微信发给贵方审核人员。",
    "We sent the invoice by email yesterday.",
    "发票已发送至平台邮箱。",
])
def test_materials_sent_off_the_platform_are_caught_in_chinese_and_english(
    ali: AliWorld, sentence: str
) -> None:
    bundle = ali.bundle()
    _adding(sentence)(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == {"statement_sent_off_platform"}


@pytest.mark.parametrize("sentence", [
    "出库记录将稍后补发。",
    "Please see the attachment sent separately.",
    "We will send the warehouse records later.",
])
def test_material_sent_separately_or_later_is_caught(ali: AliWorld, sentence: str) -> None:
    bundle = ali.bundle()
    _adding(sentence)(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == {"statement_separate_attachment"}


def test_uploading_through_the_backend_is_not_off_platform(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _adding("所有材料均通过卖家后台上传,面单通过物流系统打印。")(ali, bundle, pytest.MonkeyPatch())
    assert _rules(ali, bundle.write()) == set()


def test_a_false_url_bar_declaration_counts_as_missing(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _evidence(2, shows_url_bar=False)(ali, bundle, pytest.MonkeyPatch())
    [finding] = _check(ali, bundle.write()).findings
    assert finding.rule == "screenshot_no_url_bar"
    assert finding.where == "evidence[2]: tracking.png" and "shows_url_bar" in finding.fix


def test_order_evidence_names_every_missing_field(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _evidence(0, order_number=None, product_id=" ")(ali, bundle, pytest.MonkeyPatch())
    [finding] = _check(ali, bundle.write()).findings
    assert finding.rule == "order_evidence_incomplete"
    assert "order_number, product_id" in finding.message and "EDC-220" in finding.message


def test_a_bare_order_number_in_yaml_reads_as_text(ali: AliWorld) -> None:
    case_dir = ali.bundle().write()
    text = (case_dir / "case.yaml").read_text("utf-8").replace(f"'{ORDER}'", ORDER)
    (case_dir / "case.yaml").write_text(text, "utf-8")
    case = load_case(case_dir)
    assert case.evidence[0].order_number == ORDER  # type: ignore[union-attr]
    assert _rules(ali, case_dir) == set()


def test_trade_appeals_need_the_order_snapshot(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _drop(0)(ali, bundle, pytest.MonkeyPatch())
    report = _check(ali, bundle.write())
    [missing] = report.findings
    assert missing.rule == "evidence_missing" and "order snapshot" in missing.message


def test_a_ip_appeal_does_not_need_order_evidence(ali: AliWorld) -> None:
    bundle = ali.bundle()
    _penalty("商标侵权", "Rule 3.1.2")(ali, bundle, pytest.MonkeyPatch())
    scan(ali.store, notices=[notice(violation_type="商标侵权", rule_ref="Rule 3.1.2")])
    b.image_pdf(bundle.case_dir / "brand-authorization.pdf", dpi=300)
    b.image_pdf(bundle.case_dir / "trademark.pdf", dpi=300, size=(301, 400))
    bundle.fields.update(appeal_type="已获得品牌授权", evidence=[
        {"file": "brand-authorization.pdf", "kind": "brand_authorization"},
        {"file": "trademark.pdf", "kind": "trademark_registration"},
    ])
    assert _rules(ali, bundle.write()) == set()


# --- report cases ------------------------------------------------------------------------------
def test_load_case_returns_a_report(ali: AliWorld) -> None:
    case = load_case(ali.bundle("report-1", base="fake_orders").write())
    assert isinstance(case, ReportCase)
    assert case.report_type == "刷单" and case.target == "Sunny Deals Store"
    assert case.order_numbers == ("8001234567890123", "8001234567890124")


def test_order_numbers_may_be_written_as_the_form_takes_them(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="fake_orders")
    bundle.fields["order_numbers"] = "8001234567890123, 8001234567890124 8001234567890125"
    case = load_case(bundle.write())
    assert isinstance(case, ReportCase) and len(case.order_numbers) == 3
    bundle.fields["order_numbers"] = 8001234567890123
    case = load_case(bundle.write())
    assert isinstance(case, ReportCase) and case.order_numbers == ("8001234567890123",)


def test_a_report_has_no_notice_id(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="theft")
    bundle.fields["notice_id"] = NOTICE_ID
    with pytest.raises(BadInput, match="notice_id: unknown key"):
        load_case(bundle.write())


def test_the_report_forms_upload_rules_apply_per_field(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="fake_orders")
    for n in range(2):
        mp4(bundle.case_dir / f"clip-{n}.mp4", extra=n + 1)
        bundle.fields["evidence"].append({"file": f"clip-{n}.mp4", "kind": "video"})
    report = _check(ali, bundle.write(), lang="zh")
    [finding] = report.findings
    assert finding.rule == "too_many_files" and finding.message.startswith("视频证据附了 3 个文件")


def test_a_report_takes_no_pdf(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="theft")
    _add_file("trademark.pdf", lambda p: b.image_pdf(p, dpi=300), kind="trademark_registration")(
        ali, bundle, pytest.MonkeyPatch())
    [finding] = _check(ali, bundle.write()).findings
    assert finding.rule == "file_type_rejected" and "image evidence" in finding.message


def test_a_video_may_be_50_mb_but_an_image_only_5(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="fake_orders")
    _padded(mp4, 20)(bundle.case_dir / "录屏.mp4")
    assert _rules(ali, bundle.write()) == set()
    _padded(b.png, 5)(bundle.case_dir / "reported-listing.png")
    report = _check(ali, bundle.write())
    assert [f.rule for f in report.findings] == ["file_too_large"]
    assert "5 MB limit of image evidence" in report.findings[0].message


def test_chat_screenshots_alone_do_not_make_a_report(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="fake_orders")
    _both(_drop(2), _drop(1))(ali, bundle, pytest.MonkeyPatch())
    report = _check(ali, bundle.write(), lang="zh")
    assert "report_evidence_none" in {f.rule for f in report.errors}


def test_a_store_name_is_a_valid_target_and_a_link_must_be_aliexpress(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="theft")
    for target in ("Sunny Deals Store", "https://sunnydeals.aliexpress.com/store/1102233",
                   "https://www.aliexpress.us/item/1005009999999999.html"):
        bundle.fields["target"] = target
        assert _rules(ali, bundle.write()) == set(), target
    for target in ("https://evil.example/aliexpress.com/item/1.html", "ftp://aliexpress.com/x"):
        bundle.fields["target"] = target
        assert _rules(ali, bundle.write()) == {"report_link_invalid"}, target


def test_appeal_rules_do_not_apply_to_a_report(ali: AliWorld) -> None:
    """A report on an account whose exam was never taken: only the account rules that also
    apply to reports fire; the exam is for appeals."""
    scan(ali.store, account=account(exam="未参加"))
    assert _rules(ali, ali.bundle("report-1", base="theft").write()) == set()


def test_a_report_is_checked_by_check_workspace(ali: AliWorld) -> None:
    ali.bundle(base="appeal").write()
    ali.bundle("report-20260601-1", base="theft").write()
    reports = check_workspace(ali.workspace, store=ali.store, now=b.NOW)
    assert {r.case: r.ok for r in reports} == {
        f"cases/{NOTICE_ID}": True, "cases/report-20260601-1": True}


def test_a_report_for_a_platform_without_report_rules_is_refused(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="theft")
    bundle.fields.update(store=b.STORE, platform="joom")
    case_dir = bundle.write()
    with pytest.raises(BadInput, match="no report rules"):
        _check(ali, case_dir)
    [report] = check_workspace(ali.workspace, store=ali.store, now=b.NOW, case_dirs=[case_dir])
    assert report.findings[0].rule == CASE_INVALID


def test_a_report_cannot_be_checked_as_a_supplement_nor_an_appeal_as_a_report(
    ali: AliWorld,
) -> None:
    with pytest.raises(BadInput, match="checked as a report"):
        _check(ali, ali.bundle("report-1", base="theft").write(), "supplement")
    with pytest.raises(BadInput, match="only a case of kind report is a report"):
        _check(ali, ali.bundle().write(), "report")


def test_report_findings_render_in_chinese(ali: AliWorld) -> None:
    bundle = ali.bundle("report-1", base="fake_orders")
    bundle.fields["order_numbers"] = []
    [finding] = _check(ali, bundle.write(), lang="zh").findings
    assert finding.message == "举报刷单须填写相关订单号。" and finding.where == "order_numbers"


# --- the pack's own validation -----------------------------------------------------------------
def _override(tmp_path: Path, old: str, new: str) -> Workspace:
    workspace = Workspace(tmp_path)
    workspace.rulepack_dir.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "rulepacks" / "aliexpress.yaml").read_text("utf-8")
    assert old in text
    (workspace.rulepack_dir / "aliexpress.yaml").write_text(text.replace(old, new, 1), "utf-8")
    return workspace


@pytest.mark.parametrize(("old", "new", "message"), [
    ("params: {refusals: [report]}", "params: {refusals: [reported]}",
     "(penalty_from_report).params.refusals: no violation has refusal 'reported'"),
    ("        chat_screenshot: [buyer_id]", "        chat_record: [buyer_id]",
     "(chat_no_buyer_id).params.required: unknown evidence kind 'chat_record'"),
    ("        chat_screenshot: [buyer_id]", "        chat_screenshot: [buyer_name]",
     "chat_screenshot has no fact 'buyer_name'"),
    ("        kinds: [video]", "        kinds: [movie]",
     "reports.files.fields[1].kinds: unknown evidence kind 'movie'"),
    ("report_types: [刷单]", "report_types: [刷量]",
     "(report_orders_missing).params.report_types: no report type '刷量'"),
    ("    appealable: false\n    refusal: report", "    refusal: report",
     "refusal is for violations that are not appealable"),
])
def test_pack_mistakes_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        load_rulepack("aliexpress", _override(tmp_path, old, new))
    assert message in str(caught.value)


# --- whatever a report's case.yaml holds, BadInput naming the file (never a traceback) ----------
_values = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.lists(
    st.none() | st.integers() | st.text(max_size=20) | st.booleans(), max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries(
    {"schema_version": st.just(1), "kind": st.just("report")},
    optional={"store": _values, "platform": st.just("aliexpress") | _values,
              "report_type": _values, "target": _values, "order_numbers": _values,
              "statement": _values,
              "evidence": st.lists(st.dictionaries(
                  st.sampled_from(["file", "kind", "buyer_id", "shows_timestamp", "extra"]),
                  _values, max_size=4), max_size=2) | _values},
))
def test_arbitrary_report_shaped_yaml_loads_or_is_bad_input(tmp_path: Path, data: dict) -> None:
    case_dir = tmp_path / "report-x"
    case_dir.mkdir(exist_ok=True)
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    (case_dir / "case.yaml").write_text(text, "utf-8", errors="surrogatepass")
    try:
        load_case(case_dir)
    except BadInput as err:
        assert str(case_dir / "case.yaml") in str(err)
