"""Sample evidence for the demo and tutorials: clean, readable documents drawn on the spot.

They are plainly marked SAMPLE: they show what good evidence looks like (300 dpi scans, PDF/JPG,
safe file names), and are never evidence of anything.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

DPI = 300
A4_AT_300 = (2480, 3508)


def _page(lines: list[str], size: tuple[int, int]) -> Image.Image:
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    scale = size[0] // 400
    y = size[1] // 12
    for line in lines:
        draw.text((size[0] // 10, y), line, fill=(20, 20, 20), font_size=14 * scale)
        y += 26 * scale
    draw.rectangle((size[0] // 10, y + 40, size[0] // 10 + 60 * scale, y + 40 + 60 * scale),
                   outline=(180, 20, 20), width=3 * scale)
    draw.text((size[0] // 10 + 8 * scale, y + 60 + 10 * scale), "SEAL", fill=(180, 20, 20),
              font_size=14 * scale)
    return img


def certificate_pdf(path: Path, *, standard: str, issuer: str, number: str, models: list[str],
                    expires: str, size: tuple[int, int] = A4_AT_300) -> Path:
    """A one-page certificate scanned at 300 dpi, as a PDF."""
    lines = [f"SAMPLE - {standard} Declaration of Conformity", f"Certificate No. {number}",
             f"Issued by {issuer}", f"Models covered: {', '.join(models)}",
             f"Valid until {expires}", "Signed and stamped by the notified body"]
    path.parent.mkdir(parents=True, exist_ok=True)
    _page(lines, size).save(path, "PDF", resolution=float(DPI))
    return path


def photo_jpg(path: Path, caption: str, size: tuple[int, int] = (1800, 1200)) -> Path:
    """A product / nameplate / label photo at 300 dpi."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _page([f"SAMPLE photo: {caption}"], size).save(path, "JPEG", quality=85, dpi=(DPI, DPI))
    return path
