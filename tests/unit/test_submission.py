"""What a human's click sent is parsed from the raw multipart body."""

from __future__ import annotations

import hashlib

from autofill.submission import parse_body


def test_multipart_fields_and_file_hashes() -> None:
    boundary = "----b"
    pdf = b"%PDF-1.4 data\r\n--not-a-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nsecret\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"statement\"\r\n\r\n"
        "Line one\r\nNTF-1 cited\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
        "filename=\"ce cert.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    sent = parse_body(f"multipart/form-data; boundary={boundary}", body)
    assert sent.fields == {"statement": "Line one\nNTF-1 cited"}
    assert [(f.name, f.size, f.sha256) for f in sent.files] == [
        ("ce cert.pdf", len(pdf), hashlib.sha256(pdf).hexdigest())]
