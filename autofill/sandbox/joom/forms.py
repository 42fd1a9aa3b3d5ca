"""Server-side checks of the Joom forms: evidence uploads and statements, with Joom's messages.

Limits follow SPEC.md (the seed's PDF/JPG; 10 MB, 5 files and 500 characters are invented: Joom
does not publish them). Uploads are read once to hash them; their bytes are not kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_STATEMENT = 500
_NAME_OK = re.compile(r"[A-Za-z0-9 ._()\-]+")
_MAGIC = {"pdf": (b"%PDF",), "jpg": (b"\xff\xd8\xff",)}
_EXTENSIONS = {".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg"}


@dataclass(frozen=True)
class ReceivedFile:
    name: str
    size: int
    sha256: str
    head: bytes = b""  # the first bytes, for the magic-number check


@dataclass(frozen=True)
class FileRules:
    """Which evidence a form accepts; `pdf_only` is the "dropped_file_type" form variant."""

    pdf_only: bool = False

    @property
    def accept(self) -> str:
        return ".pdf" if self.pdf_only else ".pdf,.jpg,.jpeg"

    @property
    def hint(self) -> str:
        kinds = "PDF" if self.pdf_only else "PDF or JPG"
        return f"{kinds}, up to 10 MB each, at most {MAX_FILES} files"

    @property
    def type_message(self) -> str:
        return "Only PDF files are accepted." if self.pdf_only else \
            "Only PDF and JPG files are accepted."

    def kind_of(self, name: str) -> str | None:
        for extension, kind in _EXTENSIONS.items():
            if name.lower().endswith(extension) and (kind == "pdf" or not self.pdf_only):
                return kind
        return None


async def receive_files(form: FormData, field: str) -> list[ReceivedFile]:
    """The files posted under `field`, hashed; the empty part browsers send for none is skipped."""
    received = []
    for item in form.getlist(field):
        if not isinstance(item, UploadFile):
            continue
        digest, size, head = hashlib.sha256(), 0, b""
        while chunk := await item.read(1024 * 1024):
            digest.update(chunk)
            if len(head) < 8:
                head = (head + chunk)[:8]
            size += len(chunk)
        name = item.filename or ""
        if not name and size == 0:
            continue
        received.append(ReceivedFile(name, size, digest.hexdigest(), head))
    return received


def file_problems(files: list[ReceivedFile], rules: FileRules, required: bool) -> list[str]:
    """One message per problem with the evidence files, in the order a person reads them."""
    problems: list[str] = []
    if required and not files:
        problems.append("Attach at least one evidence file.")
    if len(files) > MAX_FILES:
        problems.append(f"Attach at most {MAX_FILES} files.")
    for item in files:
        kind = rules.kind_of(item.name)
        if not _NAME_OK.fullmatch(item.name):
            problems.append(
                f"{item.name}: File name contains unsupported characters. Use letters, digits, "
                "spaces, dots, dashes and underscores."
            )
        if item.size == 0:
            problems.append(f"{item.name}: File is empty.")
        elif kind is None or not item.head.startswith(_MAGIC[kind]):
            problems.append(f"{item.name}: {rules.type_message}")
        if item.size > MAX_FILE_BYTES:
            problems.append(f"{item.name}: File is larger than 10 MB.")
    return problems


def text_problems(text: str, empty_message: str, too_long_message: str) -> list[str]:
    """The statement checks: present, and at most MAX_STATEMENT characters."""
    if not text.strip():
        return [empty_message]
    if len(text) > MAX_STATEMENT:
        return [too_long_message]
    return []


def normalize_text(value: object) -> str:
    """A textarea's value with browser line breaks (CRLF) made plain newlines."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n")
