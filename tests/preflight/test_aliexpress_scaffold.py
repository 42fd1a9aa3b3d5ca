"""Scaffolds against the AliExpress rulepack: `case new` for every appealable catalogue violation
and `new_report` for every report type leave only what the seller must add; once the files, the
declared facts and the confirmation are in, the check passes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from autofill.bundle import ReportCase, load_case
from autofill.errors import BadInput
from autofill.rulepack import load_rulepack
from autofill.sandbox.aliexpress.catalogue import KINDS, REPORT_TYPES
from autofill.scaffold import new_case, new_report
from tests.preflight import builders as b
from tests.preflight.test_aliexpress_rules import (
    LINK,
    LISTING_ID,
    STORE,
    AliWorld,
    ali_world,
    mp4,
    notice,
    scan,
)

UNFINISHED = {"statement_unfinished", "evidence_missing", "evidence_none",
              "report_evidence_none", "documents_unedited_unconfirmed"}
APPEALABLE = [k for k in KINDS.values() if k.appealable]
FACTS: dict[str, Any] = {
    "shows_timestamp": True, "shows_url_bar": True, "buyer_id": "cn1522334455",
    "order_number": "8001234567890123", "product_id": LISTING_ID,
    "tracking_number": "LP00123456789012",
}


@pytest.fixture
def ali(tmp_path: Path) -> Iterator[AliWorld]:
    yield from ali_world(tmp_path)


def _uncomment_checklist(text: str) -> str:
    """What the seller does: delete "# " in front of each checklist entry's lines."""
    return re.sub(r"^  # (- |  )(?=\w+:)", r"  \1", text, flags=re.MULTILINE)


def _finish(case_dir: Path) -> None:
    """Add the files, declare the facts the checklist lists, write the facts, confirm."""
    text = _uncomment_checklist((case_dir / "case.yaml").read_text(encoding="utf-8"))
    data = yaml.safe_load(text)
    for n, item in enumerate(data["evidence"]):
        path = case_dir / item["file"]
        if path.suffix == ".pdf":
            b.image_pdf(path, dpi=300, size=(300 + n, 400))
        elif path.suffix == ".png":
            b.png(path)
        elif path.suffix == ".mp4":
            mp4(path, extra=n)
        else:
            b.jpeg(path, dpi=None, size=(300 + n, 400))
        item.update({k: v for k, v in FACTS.items() if k in item})
    data["statement"] = re.sub(r"<事实[^>]*>", "以上事实见所附证据。", data["statement"])
    data["confirmations"] = {k: True for k in data["confirmations"]}
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def _check(world: AliWorld, case_dir: Path) -> set[str]:
    return {f.rule for f in world.check(case_dir).findings}


@pytest.mark.parametrize("kind", APPEALABLE, ids=[k.key for k in APPEALABLE])
def test_case_new_leaves_only_the_sellers_part_then_passes(ali: AliWorld, kind: Any) -> None:
    notice_id = f"31000000{list(KINDS).index(kind.key):04d}"
    scan(ali.store, notices=[notice(notice_id, kind.subcategory, kind.rule_ref)])
    case_dir = new_case(ali.workspace, ali.store, notice_id, load_rulepack("aliexpress"))
    case = load_case(case_dir)
    assert case.kind == "appeal" and case.appeal_type == kind.reasons_offered[0]
    assert kind.rule_ref in case.statement and notice_id in case.statement
    errors = {f.rule for f in ali.check(case_dir).errors}
    assert errors <= UNFINISHED and "statement_unfinished" in errors

    _finish(case_dir)
    report = ali.check(case_dir)
    assert report.ok, report.errors
    assert {f.rule for f in report.findings} <= {"evidence_recommended"}


def test_checklist_entries_carry_the_facts_to_declare(ali: AliWorld) -> None:
    scan(ali.store, notices=[notice(violation_type="成交不卖", rule_ref="Rule 4.1.2")])
    text = (new_case(ali.workspace, ali.store, "310004562281", load_rulepack("aliexpress"),
                     lang="zh") / "case.yaml").read_text(encoding="utf-8")
    assert "  #   kind: order_record\n  #   shows_timestamp: false" in text
    assert "  #   tracking_number:  # 与订单一致" in text
    assert "  #   buyer_id:  # 与截图一致的买家ID" in text
    assert "  documents_unedited: false" in text


def test_case_new_refuses_a_report_derived_penalty(ali: AliWorld) -> None:
    scan(ali.store, notices=[notice("310000000999", "售假(举报成立)", "Rule 3.2.1",
                                    appealable=False)])
    with pytest.raises(BadInput, match="cannot be appealed"):
        new_case(ali.workspace, ali.store, "310000000999", load_rulepack("aliexpress"))


@pytest.mark.parametrize("report_type", REPORT_TYPES)
def test_new_report_leaves_only_the_sellers_part_then_passes(
    ali: AliWorld, report_type: str
) -> None:
    orders = ["8001234567890123"] if report_type == "刷单" else []
    case_dir = new_report(ali.workspace, STORE, report_type, LINK, load_rulepack("aliexpress"),
                          order_numbers=orders, now=b.NOW, lang="zh")
    assert case_dir.name == "report-20260601-1"
    case = load_case(case_dir)
    assert isinstance(case, ReportCase)
    assert (case.report_type, case.target, list(case.order_numbers)) == (report_type, LINK,
                                                                         orders)
    errors = {f.rule for f in ali.check(case_dir).errors}
    assert errors <= UNFINISHED and "statement_unfinished" in errors

    _finish(case_dir)
    report = ali.check(case_dir)
    assert report.ok, report.errors
    assert {f.rule for f in report.findings} <= {"evidence_recommended"}


def test_new_report_numbers_reports_of_the_day_and_never_overwrites(ali: AliWorld) -> None:
    pack = load_rulepack("aliexpress")
    first = new_report(ali.workspace, STORE, "盗图", LINK, pack, now=b.NOW)
    (first / "case.yaml").write_text("# my edits\n", encoding="utf-8")
    second = new_report(ali.workspace, STORE, "售假", "Sunny Deals Store", pack, now=b.NOW)
    assert (first.name, second.name) == ("report-20260601-1", "report-20260601-2")
    assert (first / "case.yaml").read_text(encoding="utf-8") == "# my edits\n"
    assert "autofill check cases/report-20260601-2" in (second / "case.yaml").read_text("utf-8")


def test_new_report_refuses_a_type_the_form_does_not_offer(ali: AliWorld) -> None:
    with pytest.raises(BadInput, match="盗图, 售假, 刷单"):
        new_report(ali.workspace, STORE, "image_theft", LINK, load_rulepack("aliexpress"))
    with pytest.raises(BadInput, match="no report rules"):
        new_report(ali.workspace, b.STORE, "盗图", LINK, load_rulepack("joom"))
