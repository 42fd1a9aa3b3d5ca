"""Server-side checks of uploads with the site's Chinese messages; keeps hashes, never bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile

MB = 1024 * 1024
_BAD_NAME_CHARS = set('/\\:*?"<>|')

# file kind -> (extensions, magic-bytes test)
_KINDS = {
    "jpg": ((".jpg", ".jpeg"), lambda head: head.startswith(b"\xff\xd8\xff")),
    "png": ((".png",), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "pdf": ((".pdf",), lambda head: head.startswith(b"%PDF-")),
    "mp4": ((".mp4",), lambda head: head[4:8] == b"ftyp"),
}


@dataclass(frozen=True)
class FileRule:
    """What one file input accepts, and the sentence for a wrong type."""

    kinds: tuple[str, ...]
    max_files: int
    max_mb: int
    type_message: str  # "{name}:" is put in front

    @property
    def accept(self) -> str:
        """The input's accept attribute, e.g. ".jpg,.jpeg,.png,.pdf"."""
        return ",".join(ext for kind in self.kinds for ext in _KINDS[kind][0])


EVIDENCE = FileRule(("jpg", "png", "pdf"), 5, 5, "仅支持 JPG、PNG、PDF 格式的文件。")
EVIDENCE_NO_PDF = FileRule(("jpg", "png"), 5, 5, "仅支持 JPG、PNG 格式的文件。")
REPORT_IMAGES = FileRule(("jpg", "png"), 5, 5, "仅支持 JPG、PNG 格式的图片。")
REPORT_VIDEOS = FileRule(("mp4",), 2, 50, "仅支持 MP4 格式的视频。")


@dataclass(frozen=True)
class StoredFile:
    """What the sandbox keeps of an upload (truth: name, size, sha256; never the bytes)."""

    field: str
    name: str
    size: int
    sha256: str

    def as_truth(self) -> dict[str, object]:
        return {"field": self.field, "name": self.name, "size": self.size, "sha256": self.sha256}


def chosen_files(form: FormData, field: str) -> list[UploadFile]:
    """The files sent under `field`, leaving out the empty part a browser sends for no file."""
    return [
        f
        for f in form.getlist(field)
        if isinstance(f, UploadFile) and (f.filename or (f.size or 0) > 0)
    ]


async def check_files(
    files: list[UploadFile],
    field: str,
    label: str,
    rule: FileRule,
    errors: list[str],
    too_many: str | None = None,
) -> list[StoredFile]:
    """Validate `files` against `rule`, appending messages to `errors`; returns what to keep."""
    if len(files) > rule.max_files:
        errors.append(too_many or f"{label}最多上传{rule.max_files}个文件。")
        return []
    stored = []
    for upload in files:
        name = upload.filename or ""
        content = await upload.read()
        problem = _problem(name, content, rule)
        if problem:
            errors.append(f"{name}:{problem}")
            continue
        stored.append(StoredFile(field, name, len(content), hashlib.sha256(content).hexdigest()))
    return stored


def _problem(name: str, content: bytes, rule: FileRule) -> str | None:
    if not name or any(c in _BAD_NAME_CHARS or ord(c) < 32 or ord(c) == 127 for c in name):
        return "文件名包含不支持的字符。"
    if not content:
        return "文件为空。"
    lower = name.lower()
    kind_ok = any(lower.endswith(_KINDS[k][0]) and _KINDS[k][1](content[:16]) for k in rule.kinds)
    if not kind_ok:
        return rule.type_message
    if len(content) > rule.max_mb * MB:
        return f"文件大小不能超过{rule.max_mb}MB。"
    return None
