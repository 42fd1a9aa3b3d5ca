"""`autofill case new`: a scaffold per catalogue violation whose only errors are what the seller
must still add; once the evidence, facts and confirmations are in, the check passes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from autofill.bundle import load_case
from autofill.errors import BadInput
from autofill.rulepack import load_rulepack
from autofill.scaffold import new_case
from autofill.store import Store
from autofill.workspace import Workspace
from tests.preflight import builders as b
from tests.preflight.conftest import World
from tests.preflight.test_rulepack import CATALOGUE

RULE_REFS = {
    "Category Restriction: Listing Not Allowed in This Category": "JPLG-3.2",
    "Missing Certificate: CE Declaration of Conformity": "JCR-2.4",
    "Missing Certificate: FCC Authorization": "JCR-2.5",
    "Missing Certificate: UKCA Declaration": "JCR-2.6",
    "Missing Certificate: SAR Test Report (Bluetooth Earphones)": "JCR-2.9",
    "Policy Violation: Missing Safety Warning": "JPLG-5.1",
    "Intellectual Property: Unauthorized Use of Brand": "JIP-1.2",
    "Intellectual Property: Image Copyright Complaint": "JIP-1.4",
    "Counterfeit Risk: Logistics Anomaly": "JLG-6.3",
    "Quality: High Buyer Complaint Rate": "JQ-7.1",
    "Store Performance: Listing Visibility Reduced": "JSP-8.2",
    "Listing Blocked: Incomplete Product Information": "JPLG-2.1",
    "Policy Violation: Misleading Description": "JPLG-4.3",
    "Policy Violation": "JPLG-0.0",
}
UNFINISHED = {"statement_unfinished", "evidence_missing", "evidence_none"}


def _scan_scenario(store: Store, index: int, violation_type: str, batch: int = 1) -> str:
    notice_id = f"NTF-3{index:04d}"
    listing_ids = [f"{index:04d}{n:020x}" for n in range(batch)]
    b.scan_into(
        store,
        notices=[b.notice(notice_id, violation_type, RULE_REFS[violation_type], listing_ids)],
        listings=[b.listing(i, notice_id, model=f"M-{index}") for i in listing_ids],
        account=b.active_account(),
    )
    return notice_id


def _uncomment_checklist(text: str) -> str:
    """What the seller does: delete "# " in front of each checklist entry's lines."""
    return re.sub(r"^  # (- |  )(?=\w+:)", r"  \1", text, flags=re.MULTILINE)


def _add_evidence_and_facts(case_dir: Path) -> None:
    text = _uncomment_checklist((case_dir / "case.yaml").read_text(encoding="utf-8"))
    data = yaml.safe_load(text)
    for n, item in enumerate(data["evidence"]):
        path = case_dir / item["file"]
        size = (300 + n, 400)
        if path.suffix == ".pdf":
            b.image_pdf(path, dpi=300, size=size)
        else:
            b.jpeg(path, dpi=300, size=size)
        if item["kind"] == "certificate":
            item.update(issuer="TUV Rheinland", number=f"C-{n}", expires=date(2028, 1, 1))
        if item["kind"] == "authorization":
            item.update(brand="Acme", licensor="Acme Brand Ltd.")
    data["statement"] = re.sub(
        r"<facts[^>]*>",
        "The product and listing now meet the rule, as the attached files show.",
        data["statement"],
    )
    data["confirmations"] = {k: True for k in data["confirmations"]}
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.mark.parametrize("violation_type", list(CATALOGUE))
def test_case_new_leaves_only_the_sellers_part_then_passes(
    world: World, violation_type: str
) -> None:
    index = list(CATALOGUE).index(violation_type)
    notice_id = _scan_scenario(world.store, index, violation_type)
    case_dir = new_case(world.workspace, world.store, notice_id, load_rulepack("joom"))
    assert case_dir == world.workspace.case_dir(notice_id)

    case = load_case(case_dir)
    assert case.appeal_type == CATALOGUE[violation_type][0]
    assert notice_id in case.statement and RULE_REFS[violation_type] in case.statement
    assert not any(c for c in case.confirmations.model_dump().values())
    report = world.check(case_dir)
    errors = {f.rule for f in report.errors}
    assert errors <= UNFINISHED and "statement_unfinished" in errors and "evidence_none" in errors

    _add_evidence_and_facts(case_dir)
    report = world.check(case_dir)
    assert report.ok, report.errors
    assert {f.rule for f in report.findings} <= {"evidence_recommended"}


def test_the_checklist_lists_every_required_kind_as_a_commented_entry(world: World) -> None:
    notice_id = _scan_scenario(world.store, 99, "Intellectual Property: Unauthorized Use of Brand")
    text = (new_case(world.workspace, world.store, notice_id, load_rulepack("joom"))
            / "case.yaml").read_text(encoding="utf-8")
    assert "  # - file: \"authorization-level-1.pdf\"" in text
    assert f"  #   licensee: \"{b.LEGAL_NAME}\"" in text
    assert "Recommended: trademark registration certificate" in text
    assert 'With appeal type "Not infringing" instead' in text


def test_a_batch_notice_lists_all_its_listings(world: World) -> None:
    notice_id = _scan_scenario(world.store, 98, "Policy Violation: Misleading Description", 12)
    case = load_case(new_case(world.workspace, world.store, notice_id, load_rulepack("joom")))
    assert len(case.listing_ids) == 12


def test_certificate_entries_carry_the_listing_models(world: World) -> None:
    notice_id = _scan_scenario(world.store, 97, "Missing Certificate: FCC Authorization")
    text = (new_case(world.workspace, world.store, notice_id, load_rulepack("joom"))
            / "case.yaml").read_text(encoding="utf-8")
    assert '#   standard: "FCC"' in text and '#   models: ["M-97"]' in text


def test_case_new_never_overwrites(world: World) -> None:
    pack = load_rulepack("joom")
    case_dir = new_case(world.workspace, world.store, b.NOTICE_ID, pack)
    (case_dir / "case.yaml").write_text("# my edits\n", encoding="utf-8")
    with pytest.raises(BadInput, match=re.escape(str(case_dir / "case.yaml"))):
        new_case(world.workspace, world.store, b.NOTICE_ID, pack)
    assert (case_dir / "case.yaml").read_text(encoding="utf-8") == "# my edits\n"


def test_case_new_keeps_evidence_already_dropped_in_the_folder(world: World) -> None:
    photo = b.jpeg(world.workspace.case_dir(b.NOTICE_ID) / "label-photo.jpg")
    new_case(world.workspace, world.store, b.NOTICE_ID, load_rulepack("joom"))
    assert photo.is_file()


def test_case_new_refuses_a_final_decision(world: World) -> None:
    b.scan_into(world.store, notices=[b.notice("NTF-40000", "Prohibited Product", "JPP-1.1",
                                               appealable=False)])
    with pytest.raises(BadInput, match="final decision"):
        new_case(world.workspace, world.store, "NTF-40000", load_rulepack("joom"))


def test_case_new_needs_a_scanned_notice(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    store = Store(workspace.db_path)
    try:
        with pytest.raises(BadInput, match="Run `autofill scan` first"):
            new_case(workspace, store, "NTF-00000", load_rulepack("joom"))
    finally:
        store.close()


def test_comments_can_be_chinese(world: World) -> None:
    text = (new_case(world.workspace, world.store, b.NOTICE_ID, load_rulepack("joom"), lang="zh")
            / "case.yaml").read_text(encoding="utf-8")
    assert "带安全警告标识的产品标签实拍照片" in text
    assert load_case(world.workspace.case_dir(b.NOTICE_ID)).notice_id == b.NOTICE_ID
