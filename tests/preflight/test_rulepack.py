"""The rulepack: the built-in Joom pack, matching violations, workspace overrides, bad packs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from autofill.check_kinds import KINDS
from autofill.errors import BadInput, ExitStatus
from autofill.preflight import CHECKS
from autofill.rulepack import builtin_text, load_rulepack
from autofill.workspace import Workspace

CATALOGUE = {  # SPEC.md's violation catalogue: violation type -> appeal types offered
    "Category Restriction: Listing Not Allowed in This Category":
        ["Wrong category decision", "Listing information corrected"],
    "Missing Certificate: CE Declaration of Conformity": ["Certificate provided"],
    "Missing Certificate: FCC Authorization": ["Certificate provided"],
    "Missing Certificate: UKCA Declaration": ["Certificate provided"],
    "Missing Certificate: SAR Test Report (Bluetooth Earphones)": ["Certificate provided"],
    "Policy Violation: Missing Safety Warning":
        ["Listing information corrected", "Certificate provided"],
    "Intellectual Property: Unauthorized Use of Brand":
        ["Authorization provided", "Not infringing"],
    "Intellectual Property: Image Copyright Complaint":
        ["Authorization provided", "Not infringing"],
    "Counterfeit Risk: Logistics Anomaly": ["Proof of authentic fulfilment"],
    "Quality: High Buyer Complaint Rate": ["Corrective action taken"],
    "Store Performance: Listing Visibility Reduced": ["Corrective action taken"],
    "Listing Blocked: Incomplete Product Information": ["Listing information corrected"],
    "Policy Violation: Misleading Description": ["Listing information corrected"],
    "Policy Violation": ["Other"],
}


def _pack_data() -> dict:
    text = builtin_text("joom")
    assert text is not None
    return yaml.safe_load(text)


def _override(tmp_path: Path, data: dict | str) -> Workspace:
    workspace = Workspace(tmp_path)
    workspace.rulepack_dir.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    (workspace.rulepack_dir / "joom.yaml").write_text(text, encoding="utf-8")
    return workspace


def _bad(tmp_path: Path, data: dict | str) -> str:
    with pytest.raises(BadInput) as caught:
        load_rulepack("joom", _override(tmp_path, data))
    assert caught.value.exit_status == ExitStatus.BAD_INPUT
    message = str(caught.value)
    assert str(tmp_path / "rulepacks" / "joom.yaml") in message
    return message


def test_the_builtin_joom_pack_names_its_version_source_and_date() -> None:
    pack = load_rulepack("joom")
    assert pack.platform == "joom" and pack.version and pack.source and pack.effective_date
    assert pack.origin == "built-in"
    assert pack.statement.language == "en" and pack.statement.recommended_chars == 300
    assert pack.files.max_files == 5 and pack.files.min_dpi == 300 and pack.files.max_mb == 10
    assert pack.deadlines.info_request_business_days == 5


@pytest.mark.parametrize(("violation_type", "offered"), list(CATALOGUE.items()))
def test_every_catalogue_violation_gets_the_appeal_types_the_form_offers(
    violation_type: str, offered: list[str]
) -> None:
    violation = load_rulepack("joom").violation_for(violation_type)
    assert [o.label for o in violation.appeal_types] == offered


def test_a_prohibited_product_cannot_be_appealed() -> None:
    assert not load_rulepack("joom").violation_for("Prohibited Product").appealable


def test_matching_ignores_case_and_spacing_then_tries_prefixes_then_the_fallback() -> None:
    pack = load_rulepack("joom")
    assert pack.violation_for("policy violation:  missing safety WARNING").name == (
        "missing_safety_warning"
    )
    assert pack.violation_for("Missing Certificate: KC Mark").name == "missing_certificate_other"
    assert pack.violation_for("Something Joom invents next year").name == "other"


def test_a_missing_safety_warning_needs_a_label_photo_whatever_the_appeal_type() -> None:
    violation = load_rulepack("joom").violation_for("Policy Violation: Missing Safety Warning")
    for option in violation.appeal_types:
        kinds = {k for r in violation.requirements(option.label) for k in r.any_of}
        assert "label_photo" in kinds


def test_every_check_kind_has_an_implementation_and_back() -> None:
    assert set(KINDS) == set(CHECKS)


def test_a_workspace_pack_overrides_the_builtin_one(tmp_path: Path) -> None:
    data = _pack_data()
    data["version"] = "2026.07-local"
    data["files"]["max_files"] = 3
    pack = load_rulepack("joom", _override(tmp_path, data))
    assert pack.version == "2026.07-local" and pack.files.max_files == 3
    assert pack.origin == str(tmp_path / "rulepacks" / "joom.yaml")


def test_an_unknown_platform_is_bad_input() -> None:
    with pytest.raises(BadInput, match="no rulepack for platform 'ebay'"):
        load_rulepack("ebay")


def _rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_an_unknown_check_kind_names_the_rule(tmp_path: Path) -> None:
    data = _pack_data()
    _rule(data, "statement_long")["kind"] = "statement_vibes"
    message = _bad(tmp_path, data)
    assert "rules[3] (statement_long).kind: unknown check kind 'statement_vibes'" in message


def test_bad_params_name_the_rule_and_the_field(tmp_path: Path) -> None:
    data = _pack_data()
    _rule(data, "statement_long")["params"] = {"limit": "medium"}
    message = _bad(tmp_path, data)
    assert "rules[3] (statement_long).params.limit: expected 'recommended' or 'hard'" in message


def test_an_unknown_placeholder_names_the_rule_and_the_language(tmp_path: Path) -> None:
    data = _pack_data()
    _rule(data, "file_too_large")["message"]["zh"] = "{name} 太大：{megabytes}"
    message = _bad(tmp_path, data)
    assert "(file_too_large).message.zh: unknown placeholder {megabytes}" in message


def test_a_missing_translation_is_named(tmp_path: Path) -> None:
    data = _pack_data()
    del _rule(data, "file_empty")["fix"]["en"]
    assert "rules[" in _bad(tmp_path, data) and ".fix.en: required, but missing" in _bad(
        tmp_path, data
    )


def test_a_bad_phrase_regex_is_named(tmp_path: Path) -> None:
    data = _pack_data()
    data["phrases"]["ignorance"][0] = "(unclosed"
    assert "phrases.ignorance[0]: not a regular expression" in _bad(tmp_path, data)


def test_a_rule_naming_a_missing_phrase_group_is_named(tmp_path: Path) -> None:
    data = _pack_data()
    _rule(data, "statement_pleads_ignorance")["params"]["phrases"] = "excuses"
    assert "(statement_pleads_ignorance).params.phrases: no phrase group 'excuses'" in _bad(
        tmp_path, data
    )


def test_an_unknown_evidence_kind_in_a_checklist_is_named(tmp_path: Path) -> None:
    data = _pack_data()
    data["violations"][0]["appeal_types"][0]["evidence"][0] = "category_certificate"
    message = _bad(tmp_path, data)
    assert "violations[0].appeal_types[0].evidence[0]: unknown evidence kind" in message


def test_a_confirmation_of_an_unknown_field_is_named(tmp_path: Path) -> None:
    data = _pack_data()
    _rule(data, "documents_unedited_unconfirmed")["params"]["field"] = "photoshop_free"
    assert "(documents_unedited_unconfirmed).params.field" in _bad(tmp_path, data)


def test_duplicate_rule_ids_are_named(tmp_path: Path) -> None:
    data = _pack_data()
    data["rules"].append(dict(_rule(data, "file_empty")))
    assert "rule id 'file_empty' is used twice" in _bad(tmp_path, data)


def test_limits_in_the_wrong_order_are_named(tmp_path: Path) -> None:
    data = _pack_data()
    data["statement"]["recommended_chars"] = 800
    assert "statement: recommended_chars must not exceed max_chars" in _bad(tmp_path, data)


def test_malformed_yaml_in_an_override_is_named(tmp_path: Path) -> None:
    assert "malformed YAML" in _bad(tmp_path, "rules: [unclosed")


def test_an_override_for_another_platform_is_named(tmp_path: Path) -> None:
    data = _pack_data()
    data["platform"] = "aliexpress"
    assert "platform: expected joom, got aliexpress" in _bad(tmp_path, data)
