"""Checks on the evidence files themselves: how many, real type, integrity, size, name, scan dpi,
each against the file input of the form the file goes through (the report form has several)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from autofill.bundle import AnyEvidence, Case
from autofill.check_kinds import FileCountParams, IntegrityParams
from autofill.evidence import Inspection
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit, evidence_where
from autofill.rulepack import Rule, Text

_MM_PER_INCH = 25.4
_BASIS = {
    "metadata": Text(zh="按图片元数据", en="from the image's metadata"),
    "page": Text(zh="按图片在PDF页面上的尺寸", en="image pixels against its size on the PDF page"),
    "mediabox": Text(zh="按PDF页面尺寸", en="image pixels against the PDF page size"),
}


def _name(file: str) -> str:
    """The name the upload sees: the last part of the path."""
    return PurePosixPath(file.replace("\\", "/")).name


def file_count(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    limits = ctx.file_rules
    if rule.typed_params(FileCountParams).bound == "min":
        counting = [u for u in limits.uploads() if u.counts_toward_min]
        names = {u.name for u in counting}
        count = sum(1 for e in case.evidence if limits.upload_for(e.kind).name in names)
        if count < limits.min_files:
            field = _labels([u.label for u in counting])
            yield Hit("evidence", {"count": count, "limit": limits.min_files, "field": field})
        return
    for upload in limits.uploads():
        count = sum(1 for e in case.evidence if limits.upload_for(e.kind).name == upload.name)
        if count > upload.max_files:
            yield Hit(
                "evidence", {"count": count, "limit": upload.max_files, "field": upload.label}
            )


def _labels(labels: list[Text]) -> Text:
    return Text(zh=" / ".join(t.zh for t in labels), en=" or ".join(t.en for t in labels))


def file_type(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    limits = ctx.file_rules
    for index, item, seen in _each(case, ctx):
        if seen.problem in ("empty", "unreadable"):
            continue  # nothing to judge the type by; the integrity rules say so
        upload = limits.upload_for(item.kind)
        suffix = PurePosixPath(_name(item.file)).suffix
        by_name = upload.accepted_type(suffix)
        real_type = _real_type(seen, case, index)
        if by_name is None or real_type != by_name.type:
            real = real_type or "unknown"
            yield Hit(
                evidence_where(index, item.file),
                {
                    "name": _name(item.file),
                    "real_type": f"{real} ({suffix or 'no extension'})",
                    "accepted": ", ".join(e for a in upload.accepted for e in a.extensions),
                    "field": upload.label,
                },
            )


# ISO base media brands of MP4 video. evidence.sniff names images and documents only; a video's
# type is read here, from its `ftyp` box, until the inspection learns it.
_MP4_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
                         b"dash", b"M4V "})


def _real_type(seen: Inspection, case: Case, index: int) -> str | None:
    if seen.real_type is not None or seen.problem:
        return seen.real_type
    try:
        with case.evidence_path(index).open("rb") as handle:
            head = handle.read(12)
    except (OSError, IndexError):
        return None
    return "mp4" if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS else None


def file_integrity(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    problems = rule.typed_params(IntegrityParams).problems
    for index, item, seen in _each(case, ctx):
        if seen.problem in problems:
            yield Hit(
                evidence_where(index, item.file),
                {"name": _name(item.file), "detail": seen.detail or seen.problem},
            )


def file_size(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    limits = ctx.file_rules
    for index, item, seen in _each(case, ctx):
        upload = limits.upload_for(item.kind)
        if seen.size > upload.max_bytes:
            yield Hit(
                evidence_where(index, item.file),
                {
                    "name": _name(item.file),
                    "size_mb": f"{seen.size / 1024 / 1024:.1f}",
                    "limit_mb": f"{upload.max_mb:g}",
                    "field": upload.label,
                },
            )


def file_name(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    allowed = re.compile(ctx.file_rules.filename_chars)
    for index, item in enumerate(case.evidence):
        name = _name(item.file)
        bad = sorted({ch for ch in name if not allowed.fullmatch(ch)})
        if bad:
            shown = " ".join(ch if ch.isprintable() else repr(ch) for ch in bad)
            yield Hit(evidence_where(index, item.file), {"name": name, "bad_chars": shown})


def file_dpi(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    limits = ctx.file_rules
    min_dpi = limits.min_dpi
    if min_dpi is None:
        return
    for index, item, seen in _each(case, ctx):
        kind = ctx.rulepack.evidence_kinds.get(item.kind)
        if kind is None or not kind.scan or seen.problem:
            continue
        dpi, basis = _effective_dpi(seen, limits.assumed_page_mm)
        if dpi is not None and round(dpi) < min_dpi:  # page sizes in points: float noise
            yield Hit(
                evidence_where(index, item.file),
                {
                    "name": _name(item.file),
                    "dpi": round(dpi),
                    "min_dpi": min_dpi,
                    "basis": basis,
                },
            )


def _effective_dpi(seen: Inspection, page_mm: tuple[float, float]) -> tuple[float | None, Text]:
    if seen.dpi is not None and seen.dpi_source:
        return seen.dpi, _BASIS[seen.dpi_source]
    if seen.pixels:
        short_px, long_px = sorted(seen.pixels)
        short_in, long_in = (mm / _MM_PER_INCH for mm in sorted(page_mm))
        w, h = (f"{mm:g}" for mm in page_mm)
        basis = Text(zh=f"按 {w}×{h} mm 页面估算", en=f"estimated against a {w}x{h} mm page")
        return min(short_px / short_in, long_px / long_in), basis
    return None, _BASIS["metadata"]


def file_duplicate(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    first: dict[str, str] = {}
    for index, item, seen in _each(case, ctx):
        if not seen.sha256 or seen.problem == "empty":
            continue
        if seen.sha256 in first:
            yield Hit(
                evidence_where(index, item.file),
                {"name": _name(item.file), "other": first[seen.sha256]},
            )
        else:
            first[seen.sha256] = _name(item.file)


def _each(case: Case, ctx: CheckContext) -> Iterator[tuple[int, AnyEvidence, Inspection]]:
    for index, item in enumerate(case.evidence):
        if index < len(ctx.files):
            yield index, item, ctx.files[index]


CHECKS: dict[str, CheckFn] = {
    "file_count": file_count,
    "file_type": file_type,
    "file_integrity": file_integrity,
    "file_size": file_size,
    "file_name": file_name,
    "file_dpi": file_dpi,
    "file_duplicate": file_duplicate,
}
