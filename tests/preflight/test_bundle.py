"""case.yaml: what loads, and how every kind of bad input is named (file, field, expected form)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autofill.bundle import AuthorizationEvidence, CertificateEvidence, load_case
from autofill.errors import BadInput, ExitStatus
from tests.preflight import builders as b


def _write(case_dir: Path, text: str | bytes) -> Path:
    case_dir.mkdir(parents=True, exist_ok=True)
    target = case_dir / "case.yaml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return case_dir


def _bad(case_dir: Path) -> str:
    with pytest.raises(BadInput) as caught:
        load_case(case_dir)
    assert caught.value.exit_status == ExitStatus.BAD_INPUT
    return str(caught.value)


@pytest.fixture
def good(tmp_path: Path) -> b.Bundle:
    return b.good_bundle(tmp_path / "cases" / "NTF-1")


def test_a_good_bundle_loads_with_typed_evidence(good: b.Bundle) -> None:
    case = load_case(good.write())
    assert case.notice_id == b.NOTICE_ID and case.case_id == "NTF-1"
    assert isinstance(case.evidence[1], CertificateEvidence)
    assert case.evidence[1].models == (b.MODEL,)
    assert case.evidence_paths()[0] == (good.case_dir / "label-photo.jpg").resolve()


def test_case_yaml_itself_may_be_named(good: b.Bundle) -> None:
    assert load_case(good.write() / "case.yaml").case_id == "NTF-1"


def test_authorization_facts_are_typed(good: b.Bundle) -> None:
    b.image_pdf(good.case_dir / "auth.pdf")
    good.fields["evidence"].append(
        {"file": "auth.pdf", "kind": "authorization", "licensor": "A", "licensee": "B", "level": 1}
    )
    case = load_case(good.write())
    assert isinstance(case.evidence[2], AuthorizationEvidence) and case.evidence[2].level == 1


def test_an_empty_evidence_key_means_none_yet(good: b.Bundle) -> None:
    text = yaml.safe_dump({**good.fields, "evidence": None})
    assert load_case(_write(good.case_dir, text)).evidence == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"evidence": [{"file": "ce-certificate.pdf", "kind": "certificate", "expires": "soon"}]},
         "evidence[0].expires: expected a date YYYY-MM-DD, got 'soon'"),
        ({"statment": "typo"}, "statment: unknown key"),
        ({"platform": "amazon"}, "platform: expected 'joom' or 'aliexpress'"),
        ({"listing_ids": "abc"}, "listing_ids: expected a list"),
        ({"listing_ids": []}, "listing_ids: must not be empty"),
        ({"notice_id": 20417}, "notice_id: expected text (put the value in quotes)"),
        ({"evidence": [{"file": "x.pdf", "kind": "Label Photo"}]}, "evidence[0].kind: expected"),
        ({"evidence": ["label-photo.jpg"]}, "evidence[0]: expected a mapping"),
        ({"evidence": [{"file": "a.pdf", "kind": "authorization", "level": 0}]},
         "evidence[0].level: Input should be greater than or equal to 1"),
        ({"confirmations": {"stamp_present": True}}, "confirmations.stamp_present: unknown key"),
        ({"schema_version": 2}, "schema_version: expected 1, got 2"),
        ({"kind": "complaint"}, "kind: expected one of appeal, report, got 'complaint'"),
    ],
)
def test_bad_fields_are_named_with_the_expected_form(
    good: b.Bundle, change: dict, expected: str
) -> None:
    good.fields.update(change)
    message = _bad(good.write())
    assert message.startswith(str(good.case_dir / "case.yaml") + ": ")
    assert expected in message


def test_a_missing_field_is_named(good: b.Bundle) -> None:
    del good.fields["store"]
    assert "case.yaml: store: required, but missing" in _bad(good.write())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"\xff\xfe bad bytes", "not UTF-8 text"),
        ("store: [unclosed", "malformed YAML (line"),
        ("- just\n- a list\n", "expected a mapping"),
        ("", "expected a mapping"),
    ],
)
def test_unreadable_yaml_is_bad_input(tmp_path: Path, text: str | bytes, expected: str) -> None:
    assert expected in _bad(_write(tmp_path / "c", text))


def test_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    assert "no such case folder" in _bad(tmp_path / "nope")


def test_a_missing_case_yaml_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    assert "case.yaml: file not found" in _bad(tmp_path / "c")


# --- evidence paths stay inside the bundle -------------------------------------------------------
@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("../secret.pdf", "evidence[0].file: path escapes the bundle (..)"),
        ("docs/../../secret.pdf", "evidence[0].file: path escapes the bundle (..)"),
        ("..\\secret.pdf", "evidence[0].file: path escapes the bundle (..)"),
        ("/etc/passwd", "evidence[0].file: absolute paths are not allowed"),
        ("C:\\Users\\me\\ce.pdf", "evidence[0].file: absolute paths are not allowed"),
        ("missing.pdf", "evidence[0].file: file not found: missing.pdf"),
        ("docs", "evidence[0].file: not a file: docs"),
    ],
)
def test_evidence_paths_must_stay_in_the_bundle(good: b.Bundle, file: str, expected: str) -> None:
    (good.case_dir.parent / "secret.pdf").parent.mkdir(parents=True, exist_ok=True)
    b.text_pdf(good.case_dir.parent / "secret.pdf")
    (good.case_dir / "docs").mkdir(parents=True, exist_ok=True)
    good.fields["evidence"] = [{"file": file, "kind": "other_document"}]
    assert expected in _bad(good.write())


def test_a_symlink_out_of_the_bundle_is_refused(good: b.Bundle, tmp_path: Path) -> None:
    outside = b.text_pdf(tmp_path / "outside.pdf")
    os.symlink(outside, good.case_dir / "link.pdf")
    good.fields["evidence"] = [{"file": "link.pdf", "kind": "other_document"}]
    assert "evidence[0].file: path escapes the bundle (symlink to outside): link.pdf" in _bad(
        good.write()
    )


def test_a_symlinked_folder_out_of_the_bundle_is_refused(good: b.Bundle, tmp_path: Path) -> None:
    b.text_pdf(tmp_path / "elsewhere" / "ce.pdf")
    os.symlink(tmp_path / "elsewhere", good.case_dir / "docs")
    good.fields["evidence"] = [{"file": "docs/ce.pdf", "kind": "other_document"}]
    assert "symlink to outside" in _bad(good.write())


def test_a_symlink_inside_the_bundle_is_fine(good: b.Bundle) -> None:
    os.symlink(good.case_dir / "label-photo.jpg", good.case_dir / "alias.jpg")
    good.fields["evidence"].append({"file": "alias.jpg", "kind": "product_photo"})
    assert load_case(good.write()).evidence_paths()[2].name == "label-photo.jpg"


def test_a_subfolder_inside_the_bundle_is_fine(good: b.Bundle) -> None:
    b.text_pdf(good.case_dir / "docs" / "manual.pdf")
    good.fields["evidence"].append({"file": "docs/manual.pdf", "kind": "product_manual"})
    assert len(load_case(good.write()).evidence) == 3


# --- whatever the bytes, a BadInput naming the file (never a traceback) ------------------------
_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_yaml_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=12,
)
_keys = st.sampled_from(
    ["schema_version", "kind", "store", "platform", "notice_id", "listing_ids", "appeal_type",
     "statement", "evidence", "confirmations", "file", "models", "expires", "level", "extra"]
)
_case_like = st.fixed_dictionaries(
    {"schema_version": st.just(1) | _scalars, "kind": st.just("appeal") | _scalars},
    optional={
        "store": _yaml_values, "platform": st.sampled_from(["joom", "x"]) | _yaml_values,
        "notice_id": _yaml_values, "listing_ids": _yaml_values, "statement": _yaml_values,
        "evidence": st.lists(st.dictionaries(_keys, _yaml_values, max_size=6), max_size=3)
        | _yaml_values,
        "confirmations": st.dictionaries(_keys, _yaml_values, max_size=3) | _yaml_values,
    },
)


def _loads_or_bad_input(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case_dir = _write(Path(tmp) / "case", data)
        try:
            load_case(case_dir)
        except BadInput as err:
            assert str(case_dir / "case.yaml") in str(err) or "case folder" in str(err)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_bad_input(data: bytes) -> None:
    _loads_or_bad_input(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_is_bad_input(text: str) -> None:
    _loads_or_bad_input(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case_like)
def test_arbitrary_case_shaped_yaml_is_bad_input(data: dict) -> None:
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    _loads_or_bad_input(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]",  # a recursive alias
        "[" * 5000,  # deep nesting
        "x: !!python/object:os.system {}",  # no arbitrary objects from YAML
        "schema_version: 1\nkind: appeal\nevidence: [{file: '\\0x.pdf', kind: a}]",
        "schema_version: 1\nkind: appeal\n? [a, b]\n: c\n",  # a list as a key
        "schema_version: 1\nkind: appeal\n1: one\n",
        "schema_version: 1\nkind: appeal\nexpires: 2026-02-30\n",  # an impossible date
    ],
)
def test_nasty_yaml_is_bad_input(tmp_path: Path, text: str) -> None:
    _bad(_write(tmp_path / "c", text))
