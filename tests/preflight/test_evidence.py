"""Inspecting evidence files: real type, integrity, and effective scan dpi."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from autofill import evidence
from tests.preflight import builders as b


def test_a_jpeg_reports_its_metadata_dpi(tmp_path: Path) -> None:
    seen = evidence.inspect(b.jpeg(tmp_path / "a.jpg", dpi=200))
    assert seen.real_type == "jpeg" and seen.problem is None
    assert seen.dpi == 200 and seen.dpi_source == "metadata" and seen.pixels == (300, 400)


def test_a_jpeg_without_density_has_no_dpi_but_its_pixels(tmp_path: Path) -> None:
    seen = evidence.inspect(b.jpeg(tmp_path / "a.jpg", dpi=None))
    assert seen.dpi is None and seen.pixels == (300, 400)


def test_a_truncated_jpeg_is_truncated(tmp_path: Path) -> None:
    seen = evidence.inspect(b.truncated(b.jpeg(tmp_path / "a.jpg", size=(600, 800)), keep=0.5))
    assert seen.problem == "truncated"


def test_a_jpeg_missing_only_its_end_marker_is_truncated(tmp_path: Path) -> None:
    path = b.jpeg(tmp_path / "a.jpg")
    path.write_bytes(path.read_bytes()[:-2])
    assert evidence.inspect(path).problem == "truncated"


def test_an_empty_file_is_empty(tmp_path: Path) -> None:
    (tmp_path / "e.pdf").write_bytes(b"")
    assert evidence.inspect(tmp_path / "e.pdf").problem == "empty"


def test_types_come_from_magic_bytes_not_names(tmp_path: Path) -> None:
    assert evidence.inspect(b.png(tmp_path / "scan.jpg")).real_type == "png"
    (tmp_path / "doc.pdf").write_bytes(b"PK\x03\x04 a zip, e.g. a .docx")
    assert evidence.inspect(tmp_path / "doc.pdf").real_type == "zip"
    (tmp_path / "t.pdf").write_bytes(b"just text")
    assert evidence.inspect(tmp_path / "t.pdf").real_type is None


@pytest.mark.parametrize("dpi", [100, 150, 300, 600])
def test_a_pdf_wrapping_an_image_reports_the_drawn_dpi(tmp_path: Path, dpi: int) -> None:
    seen = evidence.inspect(b.image_pdf(tmp_path / "scan.pdf", dpi=dpi))
    assert seen.real_type == "pdf" and seen.pages == 1
    assert seen.dpi == pytest.approx(dpi) and seen.dpi_source == "page"


def test_a_pdf_image_drawn_through_a_scaled_form_xobject(tmp_path: Path) -> None:
    """600x800 px drawn at 576x768 pt inside a form whose /Matrix halves it: 4x5.33 in, 150 dpi."""
    writer = PdfWriter(clone_from=b.image_pdf(tmp_path / "src.pdf", dpi=150, size=(600, 800)))
    page = writer.pages[0]
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    xobjects = cast(DictionaryObject, resources["/XObject"].get_object())
    image_name = next(iter(xobjects))
    form = DecodedStreamObject()
    form.set_data(f"q 576 0 0 768 0 0 cm {image_name} Do Q".encode())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                              FloatObject(576), FloatObject(768)]),
            NameObject("/Matrix"): ArrayObject([FloatObject(x) for x in (0.5, 0, 0, 0.5, 0, 0)]),
            NameObject("/Resources"): resources,
        }
    )
    xobjects[NameObject("/Fm1")] = writer._add_object(form)
    content = ContentStream(None, writer)
    content.set_data(b"q /Fm1 Do Q")
    page.replace_contents(content)
    with (tmp_path / "form.pdf").open("wb") as handle:
        writer.write(handle)
    seen = evidence.inspect(tmp_path / "form.pdf")
    assert seen.dpi == pytest.approx(150) and seen.dpi_source == "page"


def test_small_logos_on_a_pdf_page_are_not_the_scan(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    logo = Image.new("RGB", (40, 40), "red")
    logo_pdf = tmp_path / "logo.pdf"
    logo.save(logo_pdf, "PDF", resolution=72.0)
    page.merge_page(PdfWriter(clone_from=logo_pdf).pages[0])
    with (tmp_path / "doc.pdf").open("wb") as handle:
        writer.write(handle)
    seen = evidence.inspect(tmp_path / "doc.pdf")
    assert seen.problem is None and seen.dpi is None


def test_a_text_pdf_has_pages_and_no_dpi(tmp_path: Path) -> None:
    seen = evidence.inspect(b.text_pdf(tmp_path / "t.pdf", pages=3))
    assert seen.problem is None and seen.pages == 3 and seen.dpi is None


def test_an_encrypted_pdf_is_encrypted(tmp_path: Path) -> None:
    assert evidence.inspect(b.encrypted_pdf(tmp_path / "x.pdf")).problem == "encrypted"


def test_a_truncated_pdf_is_truncated(tmp_path: Path) -> None:
    path = b.truncated(b.image_pdf(tmp_path / "x.pdf"), keep=0.7)
    assert evidence.inspect(path).problem == "truncated"


def test_garbage_after_a_pdf_header_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    assert evidence.inspect(tmp_path / "x.pdf").problem == "corrupt"


def test_inspections_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = b.jpeg(tmp_path / "a.jpg", dpi=200)
    first = evidence.inspect(path)
    assert evidence.inspect(path) is first
    b.jpeg(path, dpi=300, size=(310, 400))
    assert evidence.inspect(path).dpi == 300


def test_the_hash_is_sha256_of_the_bytes(tmp_path: Path) -> None:
    import hashlib

    path = b.text_pdf(tmp_path / "t.pdf")
    assert evidence.inspect(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([b"", b"%PDF-1.4\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"GIF89a"]),
    st.binary(max_size=2000),
)
def test_any_bytes_inspect_without_a_traceback(head: bytes, body: bytes) -> None:
    seen = evidence.inspect_bytes(head + body)
    assert seen.problem in (None, *evidence.PROBLEMS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_real_files_inspect_without_a_traceback(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(_REAL_FILES))
    cut = data.draw(st.integers(0, len(original)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)),
                               max_size=8))
    damaged = bytearray(original[:cut])
    for index, value in flips:
        if index < len(damaged):
            damaged[index] = value
    seen = evidence.inspect_bytes(bytes(damaged))
    assert seen.problem in (None, *evidence.PROBLEMS)


def _real_files() -> list[bytes]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        return [
            b.image_pdf(root / "a.pdf", dpi=150, size=(120, 160)).read_bytes(),
            b.jpeg(root / "a.jpg", size=(120, 160)).read_bytes(),
            b.text_pdf(root / "t.pdf").read_bytes(),
            b.encrypted_pdf(root / "e.pdf").read_bytes(),
        ]


_REAL_FILES = _real_files()
