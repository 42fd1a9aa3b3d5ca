"""What the human's click actually sent: parsed from the request the browser made."""

from __future__ import annotations

import email
import hashlib
from dataclasses import dataclass, field
from email.policy import HTTP
from urllib.parse import parse_qs


@dataclass
class SentFile:
    name: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


@dataclass
class Sent:
    """The fields and files of one form submission (secrets such as CSRF tokens left out)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[SentFile] = field(default_factory=list)


SKIP_FIELDS = {"csrf_token", "_csrf", "csrf", "authenticity_token", "_token"}


def parse_body(content_type: str, body: bytes) -> Sent:
    """Parse a multipart/form-data or urlencoded body into fields and file hashes."""
    sent = Sent()
    if content_type.startswith("multipart/form-data"):
        message = email.message_from_bytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body, policy=HTTP
        )
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                if filename or payload:
                    sent.files.append(
                        SentFile(filename, len(payload), hashlib.sha256(payload).hexdigest())
                    )
            elif name and name not in SKIP_FIELDS:
                sent.fields[name] = payload.decode("utf-8", errors="replace").replace("\r\n", "\n")
    else:
        for name, values in parse_qs(body.decode("utf-8", errors="replace")).items():
            if name not in SKIP_FIELDS:
                sent.fields[name] = values[-1]
    return sent
