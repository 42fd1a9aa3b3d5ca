"""Builders for preflight tests and the benchmark: evidence files generated on the spot (JPEGs at a
given dpi, PDFs wrapping images, encrypted and truncated files), a scanned store, and bundles."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from autofill.models import Account, Appeal, Listing, Notice
from autofill.store import Store
from autofill.workspace import Workspace

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
STORE = "joom-main"
LEGAL_NAME = "Shenzhen Example Trading Co., Ltd."
NOTICE_ID = "NTF-20417"
LISTING_ID = "65f0a1b2c3d4e5f6a7b8c9d0"
MODEL = "X100"


# --- evidence files ---------------------------------------------------------------------------
def _page_image(size: tuple[int, int], mark: str = "") -> Image.Image:
    """Lines like a printed page, and a block placed by `mark`: other names, other bytes."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for y in range(10, size[1] - 10, max(12, size[1] // 40)):
        draw.line((10, y, size[0] - 10, y), fill=(40, 40, 40), width=2)
    spot = zlib.crc32(mark.encode("utf-8"))
    x, y = spot % max(1, size[0] - 20), (spot >> 12) % max(1, size[1] - 20)
    draw.rectangle((x, y, x + 16, y + 16), fill=(200, 30, 30))
    return img


def jpeg(path: Path, *, dpi: int | None = 300, size: tuple[int, int] = (300, 400)) -> Path:
    """A JPEG with `dpi` in its JFIF header (None: no density stated)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {"dpi": (dpi, dpi)} if dpi else {}
    _page_image(size, path.name).save(path, "JPEG", quality=80, **extra)
    return path


def image_pdf(path: Path, *, dpi: int = 300, size: tuple[int, int] = (300, 400)) -> Path:
    """A PDF whose page is one image drawn at `dpi` (a scanner's output)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _page_image(size, path.name).save(path, "PDF", resolution=float(dpi))
    return path


def text_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF with no images (a document exported from a word processor)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def encrypted_pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def truncated(path: Path, keep: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    _page_image((100, 100), path.name).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


# --- a scanned store --------------------------------------------------------------------------
def notice(
    notice_id: str = NOTICE_ID,
    violation_type: str = "Policy Violation: Missing Safety Warning",
    rule_ref: str = "JPLG-5.1",
    listing_ids: Iterable[str] = (LISTING_ID,),
    *,
    deadline: datetime | None = NOW + timedelta(days=10),
    appealable: bool = True,
) -> Notice:
    return Notice(
        notice_id=notice_id,
        listing_ids=tuple(listing_ids),
        violation_type=violation_type,
        rule_ref=rule_ref,
        issued_at=NOW - timedelta(days=2),
        appeal_deadline=deadline,
        appealable=appealable,
    )


def listing(
    listing_id: str = LISTING_ID, notice_id: str = NOTICE_ID, model: str = MODEL
) -> Listing:
    return Listing(
        listing_id=listing_id,
        sku=f"SKU-{listing_id[-6:]}",
        title="Electric kettle",
        model=model,
        status="removed",
        status_label="Removed",
        notice_id=notice_id,
    )


def write_config(workspace: Workspace, legal_name: str = LEGAL_NAME) -> None:
    workspace.root.mkdir(parents=True, exist_ok=True)
    workspace.config_path.write_text(
        f'[[stores]]\nname = "{STORE}"\nplatform = "joom"\nlegal_name = "{legal_name}"\n\n'
        '[[stores]]\nname = "ali-main"\nplatform = "aliexpress"\n',
        encoding="utf-8",
    )
    workspace.cases_dir.mkdir(exist_ok=True)


def scan_into(
    store: Store,
    *,
    notices: Iterable[Notice] = (),
    listings: Iterable[Listing] = (),
    appeals: Iterable[Appeal] = (),
    account: Account | None = None,
    store_name: str = STORE,
    platform: str = "joom",
) -> None:
    """Record one complete scan, as `autofill scan` would."""
    scan_id = store.begin_scan(store_name, platform)
    store.save_listings(scan_id, store_name, list(listings))
    store.save_notices(scan_id, store_name, list(notices))
    store.save_appeals(scan_id, store_name, list(appeals))
    if account is not None:
        store.save_account(scan_id, store_name, account)
    store.finish_scan(scan_id, store_name, complete=True)


def active_account(state: str = "Active", legal_name: str = LEGAL_NAME) -> Account:
    return Account(state=state, legal_name=legal_name)


# --- bundles ----------------------------------------------------------------------------------
GOOD_STATEMENT = (
    "Re: notification NTF-20417, rule JPLG-5.1. The kettle's label carries the required "
    "scald warning in English; the attached label photo and the CE certificate for model X100 "
    "show it. Please review the decision and restore the listing."
)


@dataclass
class Bundle:
    """A case folder under construction: evidence files plus case.yaml fields."""

    case_dir: Path
    fields: dict[str, Any] = field(default_factory=dict)

    def write(self) -> Path:
        self.case_dir.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(self.fields, allow_unicode=True, sort_keys=False)
        (self.case_dir / "case.yaml").write_text(text, encoding="utf-8")
        return self.case_dir


def good_fields(notice_id: str = NOTICE_ID, listing_ids: Iterable[str] = (LISTING_ID,)) -> dict:
    return {
        "schema_version": 1,
        "kind": "appeal",
        "store": STORE,
        "platform": "joom",
        "notice_id": notice_id,
        "listing_ids": list(listing_ids),
        "appeal_type": "Certificate provided",
        "statement": GOOD_STATEMENT.replace(NOTICE_ID, notice_id),
        "evidence": [
            {"file": "label-photo.jpg", "kind": "label_photo"},
            {
                "file": "ce-certificate.pdf",
                "kind": "certificate",
                "standard": "CE",
                "issuer": "TUV Rheinland",
                "number": "CE-2025-0042",
                "expires": date(2028, 1, 31),
                "models": [MODEL],
            },
        ],
        "confirmations": {
            "stamp_or_signature_present": True,
            "documents_unedited": True,
            "certificate_matches_product": True,
        },
    }


def good_bundle(case_dir: Path, notice_id: str = NOTICE_ID) -> Bundle:
    """A bundle the Joom rulepack finds nothing wrong with (against `scanned_world`)."""
    jpeg(case_dir / "label-photo.jpg", dpi=None)
    image_pdf(case_dir / "ce-certificate.pdf", dpi=300)
    return Bundle(case_dir, good_fields(notice_id))
