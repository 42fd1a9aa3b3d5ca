"""What an evidence file really is: its type by magic bytes, size, hash, integrity and scan dpi.

Knows no platform: which types are accepted and what dpi is enough is the rulepack's business.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

Problem = Literal["empty", "unreadable", "truncated", "corrupt", "encrypted"]
PROBLEMS: tuple[Problem, ...] = ("empty", "unreadable", "truncated", "corrupt", "encrypted")

# An image drawn over less than this share of its page is a logo or a stamp, not the scan itself.
SCAN_MIN_PAGE_FRACTION = 0.25
# Enough pages to judge a scanned document; a 300-page manual is not walked to the end.
MAX_PAGES_WALKED = 30
_PDF_EOF_WINDOW = 2048

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"II*\x00", 0, "tiff"),
    (b"MM\x00*", 0, "tiff"),
    (b"BM", 0, "bmp"),
    (b"PK\x03\x04", 0, "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "ole"),
    (b"Rar!", 0, "rar"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z"),
)


@dataclass(frozen=True)
class Inspection:
    """The facts about one file that checks need; `problem` is None when it opened cleanly."""

    size: int
    sha256: str
    real_type: str | None  # "pdf", "jpeg", "png", ... by magic bytes; None when unknown
    problem: Problem | None = None
    detail: str = ""
    pages: int | None = None
    pixels: tuple[int, int] | None = None  # a raster image's own size
    dpi: float | None = None  # JPEG metadata, or the lowest effective dpi of a PDF's scans
    dpi_source: Literal["metadata", "page", "mediabox"] | None = None


def sniff(head: bytes) -> str | None:
    """The file type by its first bytes."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, offset, name in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "heic"
    return None


_cache: dict[tuple[str, int, int], Inspection] = {}
_CACHE_LIMIT = 8192


def inspect(path: Path) -> Inspection:
    """Inspect `path`; results are cached by (path, mtime, size), so unchanged files are free."""
    try:
        stat = path.stat()
    except OSError as err:
        return Inspection(0, "", None, "unreadable", err.strerror or str(err))
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    found = _cache.get(key)
    if found is not None:
        return found
    result = inspect_uncached(path)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = result
    return result


def clear_cache() -> None:
    _cache.clear()


def inspect_uncached(path: Path) -> Inspection:
    try:
        data = path.read_bytes()
    except OSError as err:
        return Inspection(0, "", None, "unreadable", err.strerror or str(err))
    return inspect_bytes(data)


def inspect_bytes(data: bytes) -> Inspection:
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        return Inspection(0, digest, None, "empty", "the file has no content")
    kind = sniff(data[:1024])
    if kind == "pdf":
        return _inspect_pdf(data, digest)
    if kind in ("jpeg", "png", "gif", "tiff", "bmp", "webp"):
        return _inspect_image(data, digest, kind)
    return Inspection(len(data), digest, kind)


def _inspect_image(data: bytes, digest: str, kind: str) -> Inspection:
    size = len(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. odd EXIF: not the seller's concern
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                pixels = img.size
                dpi = _metadata_dpi(img.info.get("dpi"))
                if kind == "jpeg":
                    # Decoding at 1/8 scale reads every byte of the scan (so truncation shows)
                    # at a fraction of the cost of a full decode.
                    img.draft("L", (max(1, pixels[0] // 8), max(1, pixels[1] // 8)))
                    img.load()
                else:
                    img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        return Inspection(size, digest, kind, "corrupt", f"implausibly large image ({err})")
    except UnidentifiedImageError as err:
        return Inspection(size, digest, kind, "corrupt", str(err))
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as err:
        problem: Problem = "truncated" if "truncated" in str(err).lower() else "corrupt"
        return Inspection(size, digest, kind, problem, str(err))
    if kind == "jpeg" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return Inspection(size, digest, kind, "truncated", "the JPEG end marker is missing")
    return Inspection(
        size, digest, kind, pixels=pixels, dpi=dpi, dpi_source="metadata" if dpi else None
    )


def _metadata_dpi(value: Any) -> float | None:
    """The lower of the two axes' dpi, or None when the file does not state a real one."""
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    try:
        low = min(float(value[0]), float(value[1]))
    except (TypeError, ValueError):
        return None
    return low if low > 1 and math.isfinite(low) else None


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs; the inspection reports problems itself, in the user's words."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _inspect_pdf(data: bytes, digest: str) -> Inspection:
    with _quiet_pypdf():
        return _read_pdf(data, digest)


def _read_pdf(data: bytes, digest: str) -> Inspection:
    size = len(data)
    truncated = b"%%EOF" not in data[-_PDF_EOF_WINDOW:]
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return Inspection(size, digest, "pdf", "encrypted", "the PDF is password-protected")
        pages = len(reader.pages)
        dpi, source = _lowest_scan_dpi(reader)
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError,
            AssertionError, OSError, RecursionError, NotImplementedError, ArithmeticError,
            struct.error, zlib.error) as err:
        # A damaged PDF can fail anywhere inside the parser: each of these means "cannot be read".
        problem: Problem = "truncated" if truncated else "corrupt"
        return Inspection(size, digest, "pdf", problem, f"{type(err).__name__}: {err}")
    if truncated:
        return Inspection(size, digest, "pdf", "truncated", "the PDF end marker (%%EOF) is missing")
    if pages == 0:
        return Inspection(size, digest, "pdf", "corrupt", "the PDF has no pages")
    return Inspection(size, digest, "pdf", pages=pages, dpi=dpi, dpi_source=source)


# --- images drawn on PDF pages -----------------------------------------------------------------
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: the `cm` operand is applied before the CTM)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )


def _lowest_scan_dpi(reader: PdfReader) -> tuple[float | None, Literal["page", "mediabox"] | None]:
    lowest: float | None = None
    source: Literal["page", "mediabox"] | None = None
    for index, page in enumerate(reader.pages):
        if index >= MAX_PAGES_WALKED:
            break
        box = page.mediabox
        page_area = abs(float(box.width) * float(box.height)) or 1.0
        draws = list(_image_draws(page, page.get("/Resources"), _IDENTITY, page.get_contents(), 0))
        found = False
        for (px_w, px_h), ctm in draws:
            width_pt = math.hypot(ctm[0], ctm[1])
            height_pt = math.hypot(ctm[2], ctm[3])
            if width_pt <= 0 or height_pt <= 0:
                continue
            if width_pt * height_pt < SCAN_MIN_PAGE_FRACTION * page_area:
                continue
            dpi = min(px_w / (width_pt / 72), px_h / (height_pt / 72))
            found = True
            if lowest is None or dpi < lowest:
                lowest, source = dpi, "page"
        if not found and float(box.width) > 0 and float(box.height) > 0:
            for px_w, px_h in _page_images_unplaced(page, draws):
                # The image is there but we could not follow where it is drawn: assume the page.
                dpi = min(px_w / (float(box.width) / 72), px_h / (float(box.height) / 72))
                if lowest is None or dpi < lowest:
                    lowest, source = dpi, "mediabox"
    return lowest, source


def _image_draws(
    page: Any, resources: Any, base: Matrix, contents: Any, depth: int
) -> Iterator[tuple[tuple[int, int], Matrix]]:
    """(pixel size, matrix) for each image the content stream draws, following form XObjects."""
    if contents is None or depth > 4:
        return
    if not isinstance(contents, ContentStream):
        contents = ContentStream(contents, page.pdf)
    xobjects = _dict(_dict(resources).get("/XObject"))
    ctm = base
    stack: list[Matrix] = []
    for operands, operator in contents.operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop() if stack else base
        elif operator == b"cm" and len(operands) == 6:
            ctm = _mul(tuple(float(x) for x in operands), ctm)  # type: ignore[arg-type]
        elif operator == b"Do" and operands:
            xobj = _dict(xobjects.get(operands[0]))
            subtype = xobj.get("/Subtype")
            if subtype == "/Image":
                yield (int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))), ctm
            elif subtype == "/Form":
                matrix = xobj.get("/Matrix")
                inner = _mul(tuple(float(x) for x in matrix), ctm) if matrix else ctm  # type: ignore[arg-type]
                yield from _image_draws(
                    page, xobj.get("/Resources", resources), inner, xobj, depth + 1
                )
        elif operator == b"INLINE IMAGE" and isinstance(operands, dict):
            settings = _dict(operands.get("settings"))
            width = settings.get("/W", settings.get("/Width", 0))
            height = settings.get("/H", settings.get("/Height", 0))
            yield (int(width), int(height)), ctm


def _page_images_unplaced(page: Any, draws: list[Any]) -> list[tuple[int, int]]:
    if draws:
        return []
    out = []
    for obj in _dict(_dict(page.get("/Resources")).get("/XObject")).values():
        xobj = _dict(obj)
        if xobj.get("/Subtype") == "/Image":
            out.append((int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))))
    return out


def _dict(obj: Any) -> DictionaryObject | dict[Any, Any]:
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    return obj if isinstance(obj, dict) else {}
