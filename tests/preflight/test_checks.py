"""Every rule of the Joom rulepack: a bundle failing it (and nothing else), and bundles passing.

The passing baseline is `good_bundle`: a missing-safety-warning appeal with a label photo and a
300 dpi CE certificate for the listing's model. Each row of FAILING changes one thing about it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from autofill import ledger
from autofill.evidence import inspect
from autofill.models import Appeal
from autofill.rulepack import load_rulepack
from tests.preflight import builders as b
from tests.preflight.conftest import World

Mutation = Callable[[World, b.Bundle, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class Row:
    rule: str
    mutate: Mutation
    also: frozenset[str] = frozenset()  # rules that rightly fire together with this one


def _statement(text: str) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields["statement"] = text

    return mutate


def _set(**changes: object) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields.update(changes)

    return mutate


def _cert(**changes: object) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields["evidence"][1].update(changes)
        for key in [k for k, v in changes.items() if v is None]:
            del bundle.fields["evidence"][1][key]

    return mutate


def _add_file(name: str, make: Callable[[Path], object], kind: str = "product_photo") -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        make(bundle.case_dir / name)
        bundle.fields["evidence"].append({"file": name, "kind": kind})

    return mutate


def _rescan(**kwargs: object) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        defaults: dict[str, object] = {
            "notices": [b.notice()],
            "listings": [b.listing()],
            "account": b.active_account(),
        }
        b.scan_into(world.store, **{**defaults, **kwargs})  # type: ignore[arg-type]

    return mutate


def _authorizations(*links: tuple[str, str, int]) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        for licensor, licensee, level in links:
            name = f"authorization-{level}.pdf"
            b.image_pdf(bundle.case_dir / name, dpi=300, size=(301 + level, 400))
            bundle.fields["evidence"].append(
                {
                    "file": name,
                    "kind": "authorization",
                    "brand": "Acme",
                    "licensor": licensor,
                    "licensee": licensee,
                    "level": level,
                }
            )

    return mutate


def _submitted(same_files: bool, same_statement: bool) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        case_dir = bundle.write()
        files = [
            {"name": e["file"], "size": 1, "sha256": inspect(case_dir / e["file"]).sha256}
            for e in bundle.fields["evidence"]
        ]
        ledger.append(
            case_dir,
            "submitted",
            notice_id=b.NOTICE_ID,
            appeal_id="APL-100001",
            kind="appeal",
            statement=bundle.fields["statement"] if same_statement else "Another text.",
            files=files if same_files else [{"name": "x.pdf", "size": 1, "sha256": "0" * 64}],
        )

    return mutate


def _other_case_with(statement: str) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        other = b.good_bundle(world.workspace.case_dir("NTF-20999"), "NTF-20999")
        other.fields["statement"] = statement
        other.write()

    return mutate


def _unreadable(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    target = (bundle.case_dir / "label-photo.jpg").resolve()
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target:
            raise PermissionError(13, "Permission denied")
        return real(self)

    mp.setattr(Path, "read_bytes", read_bytes)


def _too_large(path: Path) -> None:
    b.jpeg(path, dpi=None)
    with path.open("ab") as handle:
        handle.write(b"\x00" * (10 * 1024 * 1024 + 1))


def _duplicate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    shutil.copy(bundle.case_dir / "label-photo.jpg", bundle.case_dir / "label-photo-copy.jpg")
    bundle.fields["evidence"].append({"file": "label-photo-copy.jpg", "kind": "label_photo"})


def _many_files(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    for n in range(4):
        b.jpeg(bundle.case_dir / f"photo-{n}.jpg", dpi=None, size=(310 + n, 400))
        bundle.fields["evidence"].append({"file": f"photo-{n}.jpg", "kind": "product_photo"})


def _other_store(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    notice = b.notice("NTF-20500")
    b.scan_into(world.store, notices=[notice], listings=[b.listing(notice_id="NTF-20500")],
                store_name="joom-second")
    bundle.fields["notice_id"] = "NTF-20500"
    bundle.fields["statement"] = b.GOOD_STATEMENT.replace(b.NOTICE_ID, "NTF-20500")


def _unscanned_store(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    notice = b.notice("NTF-20600")
    b.scan_into(world.store, notices=[notice], listings=[b.listing(notice_id="NTF-20600")],
                store_name="joom-b")
    bundle.fields.update(store="joom-b", notice_id="NTF-20600",
                         statement=b.GOOD_STATEMENT.replace(b.NOTICE_ID, "NTF-20600"))


def _ce_notice_without_photo(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    _rescan(notices=[b.notice(violation_type="Missing Certificate: CE Declaration of Conformity",
                              rule_ref="JPLG-5.1")])(world, bundle, mp)


def _prohibited(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    _rescan(notices=[b.notice(violation_type="Prohibited Product", appealable=False)])(
        world, bundle, mp
    )


def _appeal(status: str, deadline_days: float | None = None) -> Mutation:
    deadline = b.NOW + timedelta(days=deadline_days) if deadline_days is not None else None
    return _rescan(appeals=[Appeal(appeal_id="APL-100001", notice_id=b.NOTICE_ID,
                                   listing_id=b.LISTING_ID, status=status,  # type: ignore[arg-type]
                                   info_request_deadline=deadline)])


def _unconfirmed(field: str) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        bundle.fields["confirmations"][field] = False

    return mutate


def _drop_label_photo(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
    bundle.fields["evidence"].pop(0)


def _replace_certificate(make: Callable[[Path], object]) -> Mutation:
    def mutate(world: World, bundle: b.Bundle, mp: pytest.MonkeyPatch) -> None:
        path = bundle.case_dir / "ce-certificate.pdf"
        path.unlink()
        make(path)

    return mutate


S = b.GOOD_STATEMENT
LONG = S + " The warning text reads: Caution, hot surface and steam; keep away from children."
FAILING: list[Row] = [
    Row("statement_missing", _statement("")),
    Row("statement_unfinished", _statement(S.replace("The kettle's", "<facts> The kettle's"))),
    Row("statement_not_english", _statement(S + " 我们已经整改。"), frozenset({"statement_long"})),
    Row("statement_long", _statement(LONG)),
    Row("statement_too_long", _statement(LONG + " " + "x" * 200)),
    Row("statement_no_notice_id", _statement(S.replace("notification NTF-20417, ", ""))),
    Row("statement_no_rule_ref", _statement(S.replace("rule JPLG-5.1", "the rule"))),
    Row("statement_promises_to_stop", _statement(S.replace("Please", "We won't sell it. Please"))),
    Row("statement_pleads_ignorance", _statement(S.replace("Please", "We were unaware. Please"))),
    Row("statement_mentions_other_platform",
        _statement(S.replace("Please", "Amazon accepted it. Please"))),
    Row("statement_templated", _other_case_with(S.replace("NTF-20417", "NTF-20999"))),
    Row("statement_already_sent", _submitted(same_files=False, same_statement=True)),
    Row("notice_final", _prohibited),
    Row("appeal_type_invalid", _set(appeal_type="Certificate attached")),
    Row("evidence_missing", _drop_label_photo),
    Row("evidence_recommended", _ce_notice_without_photo),
    Row("evidence_kind_unknown", _add_file("selfie.jpg", b.jpeg, kind="selfie")),
    Row("evidence_none", _set(evidence=[]), frozenset({"evidence_missing"})),
    Row("too_many_files", _many_files),
    Row("file_type_rejected", _add_file("scan.png", b.png)),
    Row("file_empty", _add_file("empty.pdf", lambda p: p.write_bytes(b""))),
    Row("file_unreadable", _unreadable),
    Row("file_corrupt", _add_file("cut.jpg", lambda p: b.truncated(b.jpeg(p, dpi=None)))),
    Row("file_encrypted", _add_file("locked.pdf", b.encrypted_pdf)),
    Row("file_too_large", _add_file("huge.jpg", _too_large)),
    Row("file_name_rejected", _add_file("标签#1.jpg", lambda p: b.jpeg(p, dpi=None))),
    Row("scan_low_dpi", _replace_certificate(lambda p: b.image_pdf(p, dpi=150))),
    Row("file_duplicated", _duplicate),
    Row("evidence_facts_incomplete", _cert(issuer=None)),
    Row("evidence_expired", _cert(expires=date(2026, 5, 1))),
    Row("evidence_expiring", _cert(expires=date(2026, 6, 20))),
    Row("certificate_model_mismatch", _cert(models=["X200"])),
    Row("authorization_licensee_mismatch",
        _authorizations(("Acme Brand Ltd.", "Shenzhen Example Trading Co Ltd", 1))),
    Row("authorization_chain_gap", _authorizations(("Acme Brand Ltd.", "Acme Europe", 1),
                                                   ("Acme Asia", b.LEGAL_NAME, 3))),
    Row("authorization_chain_broken", _authorizations(("Acme Brand Ltd.", "Acme Europe", 1),
                                                      ("Acme Asia", b.LEGAL_NAME, 2))),
    Row("notice_unknown", _set(notice_id="NTF-99999",
                               statement=S.replace("NTF-20417", "NTF-99999"))),
    Row("notice_other_store", _other_store, frozenset({"store_not_scanned"})),
    Row("platform_mismatch", _set(platform="aliexpress")),
    Row("listing_not_in_notice", _set(listing_ids=[b.LISTING_ID, "ffffffffffffffffffffffff"])),
    Row("appeal_deadline_passed", _rescan(notices=[b.notice(deadline=b.NOW - timedelta(hours=1))])),
    Row("appeal_deadline_soon", _rescan(notices=[b.notice(deadline=b.NOW + timedelta(days=1))])),
    Row("account_not_active", _rescan(account=b.active_account("Account Under Review"))),
    Row("store_not_scanned", _unscanned_store),
    Row("appeal_already_pending", _appeal("under_review")),
    Row("info_request_overdue", _appeal("info_requested", deadline_days=-1),
        frozenset({"appeal_already_pending"})),
    Row("evidence_already_submitted", _submitted(same_files=True, same_statement=False)),
    Row("stamp_or_signature_unconfirmed", _unconfirmed("stamp_or_signature_present")),
    Row("documents_unedited_unconfirmed", _unconfirmed("documents_unedited")),
    Row("certificate_match_unconfirmed", _unconfirmed("certificate_matches_product")),
]


def test_the_good_bundle_passes_every_rule(world: World) -> None:
    report = world.check(world.bundle().write())
    assert report.ok
    assert report.findings == []


@pytest.mark.parametrize("row", FAILING, ids=[r.rule for r in FAILING])
def test_each_rule_fails_its_bundle_and_nothing_else(
    world: World, row: Row, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = world.bundle()
    row.mutate(world, bundle, monkeypatch)
    fired = world.rules(bundle.write())
    assert row.rule in fired
    assert fired - {row.rule} <= row.also, f"unexpected companions: {fired - {row.rule}}"


def test_every_rule_of_the_joom_pack_has_a_failing_bundle() -> None:
    pack = load_rulepack("joom")
    assert {r.id for r in pack.rules} == {row.rule for row in FAILING}


def test_severity_comes_from_the_pack(world: World) -> None:
    bundle = world.bundle()
    _statement(LONG)(world, bundle, pytest.MonkeyPatch())
    report = world.check(bundle.write())
    assert [f.severity for f in report.findings] == ["warning"]
    assert report.ok


# --- passing variants: the edges of each check ----------------------------------------------
def test_statement_at_the_recommended_length_is_not_long(world: World) -> None:
    bundle = world.bundle()
    text = S + " " + "Checked." * 40
    bundle.fields["statement"] = text[:300]
    assert world.rules(bundle.write()) == set()


def test_citation_ignores_case_spaces_and_dashes(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = S.replace("NTF-20417", "ntf 20417").replace("JPLG-5.1", "jplg 5.1")
    assert world.rules(bundle.write()) == set()


def test_accented_latin_letters_are_english_enough(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = S.replace("kettle's", "café kettle's")
    assert world.rules(bundle.write()) == set()


def test_a_different_statement_in_another_case_is_not_templated(world: World) -> None:
    other = b.good_bundle(world.workspace.case_dir("NTF-20999"), "NTF-20999")
    other.fields["statement"] = (
        "Re: notification NTF-20999, rule JPLG-4.3. The title now says 1.5 litres, matching "
        "the product; the screenshot shows the corrected listing. Please restore it."
    )
    other.write()
    assert world.rules(world.bundle().write()) == set()


def test_an_unfinished_draft_elsewhere_is_not_compared(world: World) -> None:
    _other_case_with(S.replace("NTF-20417", "NTF-20999") + " <facts>")(
        world, world.bundle(), pytest.MonkeyPatch()
    )
    assert world.rules(world.bundle().write()) == set()


def test_a_ce_certificate_alone_does_not_answer_a_missing_safety_warning(world: World) -> None:
    bundle = world.bundle()
    _drop_label_photo(world, bundle, pytest.MonkeyPatch())
    report = world.check(bundle.write())
    missing = [f for f in report.findings if f.rule == "evidence_missing"]
    assert len(missing) == 1 and "label" in missing[0].message


def test_the_recommended_photo_satisfies_the_recommendation(world: World) -> None:
    bundle = world.bundle()
    _ce_notice_without_photo(world, bundle, pytest.MonkeyPatch())
    b.jpeg(bundle.case_dir / "product-photo.jpg", dpi=None, size=(320, 400))
    bundle.fields["evidence"].append({"file": "product-photo.jpg", "kind": "product_photo"})
    assert world.rules(bundle.write()) == set()


def test_a_certificate_of_another_standard_does_not_count(world: World) -> None:
    bundle = world.bundle()
    _ce_notice_without_photo(world, bundle, pytest.MonkeyPatch())
    bundle.fields["evidence"][1]["standard"] = "FCC"
    assert "evidence_missing" in world.rules(bundle.write())


def test_a_photo_without_dpi_metadata_is_not_a_scan(world: World) -> None:
    # label photos are not scanned documents: their dpi does not matter
    assert world.rules(world.bundle().write()) == set()


def test_a_jpeg_scan_without_metadata_is_judged_against_an_a4_page(world: World) -> None:
    bundle = world.bundle()
    _replace_certificate(lambda p: b.jpeg(p.with_suffix(".jpg"), dpi=None, size=(1240, 1754)))(
        world, bundle, pytest.MonkeyPatch()
    )
    bundle.fields["evidence"][1]["file"] = "ce-certificate.jpg"
    report = world.check(bundle.write())
    low = [f for f in report.findings if f.rule == "scan_low_dpi"]
    assert len(low) == 1 and "150 dpi" in low[0].message and "210x297" in low[0].message


def test_a_jpeg_scan_at_300_dpi_passes(world: World) -> None:
    bundle = world.bundle()
    _replace_certificate(lambda p: b.jpeg(p.with_suffix(".jpg"), dpi=300))(
        world, bundle, pytest.MonkeyPatch()
    )
    bundle.fields["evidence"][1]["file"] = "ce-certificate.jpg"
    assert world.rules(bundle.write()) == set()


def test_a_text_pdf_has_no_scan_resolution_to_judge(world: World) -> None:
    bundle = world.bundle()
    _replace_certificate(b.text_pdf)(world, bundle, pytest.MonkeyPatch())
    assert world.rules(bundle.write()) == set()


def test_a_file_with_a_pdf_extension_but_jpeg_content_is_rejected(world: World) -> None:
    bundle = world.bundle()
    _replace_certificate(lambda p: b.jpeg(p, dpi=300))(world, bundle, pytest.MonkeyPatch())
    report = world.check(bundle.write())
    assert {f.rule for f in report.findings} == {"file_type_rejected"}
    assert "jpeg (.pdf)" in report.findings[0].message


def test_a_truncated_pdf_is_corrupt(world: World) -> None:
    bundle = world.bundle()
    _replace_certificate(lambda p: b.truncated(b.image_pdf(p, dpi=300), keep=0.6))(
        world, bundle, pytest.MonkeyPatch()
    )
    assert "file_corrupt" in world.rules(bundle.write())


def test_a_certificate_expiring_today_is_still_valid(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["evidence"][1]["expires"] = b.NOW.date()
    assert world.rules(bundle.write()) == {"evidence_expiring"}


def test_certificate_models_match_ignoring_case_and_spacing(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["evidence"][1]["models"] = [" x100 ", "X100-PRO"]
    assert world.rules(bundle.write()) == set()


def test_a_complete_chain_ending_with_the_store_passes(world: World) -> None:
    bundle = world.bundle()
    _authorizations(
        ("Acme Brand Ltd.", "Acme Asia Pacific Ltd.", 1),
        ("Acme Asia Pacific Ltd.", b.LEGAL_NAME, 2),
    )(world, bundle, pytest.MonkeyPatch())
    assert world.rules(bundle.write()) == set()


def test_the_licensee_must_match_the_scanned_legal_name_not_the_config(world: World) -> None:
    b.scan_into(world.store, notices=[b.notice()], listings=[b.listing()],
                account=b.active_account(legal_name="Shenzhen Renamed Co., Ltd."))
    bundle = world.bundle()
    _authorizations(("Acme Brand Ltd.", b.LEGAL_NAME, 1))(world, bundle, pytest.MonkeyPatch())
    report = world.check(bundle.write())
    assert [f.rule for f in report.findings] == ["authorization_licensee_mismatch"]
    assert "Shenzhen Renamed Co., Ltd." in report.findings[0].message


def test_an_info_request_still_open_is_not_overdue(world: World) -> None:
    bundle = world.bundle()
    _appeal("info_requested", deadline_days=2)(world, bundle, pytest.MonkeyPatch())
    assert world.rules(bundle.write()) == {"appeal_already_pending"}


def test_a_supplement_answers_the_pending_appeal_instead_of_duplicating_it(world: World) -> None:
    bundle = world.bundle()
    _appeal("info_requested", deadline_days=2)(world, bundle, pytest.MonkeyPatch())
    report = world.check(bundle.write(), mode="supplement")
    assert report.findings == []


def test_decided_appeals_do_not_block_a_new_one(world: World) -> None:
    bundle = world.bundle()
    _appeal("rejected")(world, bundle, pytest.MonkeyPatch())
    assert world.rules(bundle.write()) == set()


def test_new_files_after_a_submission_pass(world: World) -> None:
    bundle = world.bundle()
    _submitted(same_files=True, same_statement=False)(world, bundle, pytest.MonkeyPatch())
    b.jpeg(bundle.case_dir / "new-photo.jpg", dpi=None, size=(333, 444))
    bundle.fields["evidence"].append({"file": "new-photo.jpg", "kind": "product_photo"})
    assert world.rules(bundle.write()) == set()


def test_the_certificate_confirmation_is_only_asked_when_there_is_a_certificate(
    world: World,
) -> None:
    bundle = world.bundle()
    bundle.fields["appeal_type"] = "Listing information corrected"
    b.jpeg(bundle.case_dir / "corrected-listing.jpg", dpi=None)
    bundle.fields["evidence"] = [
        bundle.fields["evidence"][0],
        {"file": "corrected-listing.jpg", "kind": "listing_screenshot"},
    ]
    bundle.fields["confirmations"]["certificate_matches_product"] = False
    assert world.rules(bundle.write()) == set()


def test_findings_render_in_chinese(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = ""
    report = world.check(bundle.write(), lang="zh")
    assert report.findings[0].message == "申诉说明为空。"
    assert "NTF-20417" in report.findings[0].fix


def test_unit_symbols_are_not_a_foreign_script(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = S.replace("kettle's", "2200 W, 10 Ω, 5 µA kettle's")
    assert world.rules(bundle.write()) == set()


def test_a_longer_id_does_not_cite_this_one(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = S.replace("NTF-20417", "NTF-204170")
    assert world.rules(bundle.write()) == {"statement_no_notice_id"}


def test_full_width_punctuation_is_mixed_script(world: World) -> None:
    bundle = world.bundle()
    bundle.fields["statement"] = S.replace(". The", "。The", 1)
    assert world.rules(bundle.write()) == {"statement_not_english"}
