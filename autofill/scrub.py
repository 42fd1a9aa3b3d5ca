"""Scrub a HAR before it leaves the seller's computer.

Removed, wherever they sit (headers, cookies, URLs, form fields, page and API bodies, page
titles): cookie values, Set-Cookie, Authorization and other credential headers, tokens and CSRF
values (query strings, form fields, hidden inputs, meta tags, JSON and script assignments),
passwords, bearer tokens and JWTs, e-mail addresses, phone numbers (Chinese and international
formats) and the store's legal name. Each is replaced by a placeholder (`<REDACTED>`, `<EMAIL>`,
`<PHONE>`, `<LEGAL_NAME>`), written so the page still reads the same: HTML-escaped inside HTML,
percent-encoded inside URLs. Binary bodies (images, fonts, uploaded evidence) are dropped whole:
a scan reads text, and a photo of a business licence is not something to share.

Two passes: the first learns every secret value from where it is structured (cookies, credential
headers, secret-named fields), the second replaces those values everywhere else too (a session id
echoed in a script, a CSRF token repeated in a link), then the patterns. A last check refuses to
write output that still holds a known secret.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from autofill.errors import AutofillError

REDACTED = "<REDACTED>"
EMAIL = "<EMAIL>"
PHONE = "<PHONE>"
LEGAL_NAME = "<LEGAL_NAME>"

Kind = Literal["plain", "html", "url"]

# Names of fields, parameters, cookies and JSON keys whose values are credentials.
SECRET_NAME = re.compile(
    r"(?i)(cookie|token|csrf|xsrf|session|sess_?id|^sid$|_sid$|authori[sz]ation|x-auth|passw|"
    r"^pwd$|secret|api[_-]?key|signature|^sig$|nonce|ticket|credential|^otp$|^code_verifier$)"
)
# Headers dropped to a placeholder whatever their value looks like.
SECRET_HEADERS = frozenset({
    "cookie", "set-cookie", "authorization", "proxy-authorization", "x-csrf-token",
    "x-xsrf-token", "x-csrftoken", "x-api-key", "x-auth-token",
})
_SECRET_WORD = (r"[A-Za-z0-9_.-]*(?:token|csrf|xsrf|session|sessid|passw|secret|api[_-]?key|"
                r"signature|nonce|ticket|credential)[A-Za-z0-9_.-]*")
# `csrfToken: "v"`, `"csrf_token": "v"`, `session_id='v'`: the quoted value goes.
_ASSIGNED = re.compile(
    r"(?i)(?P<key>\\?[\"']?" + _SECRET_WORD + r"\\?[\"']?\s*[:=]\s*)(?P<q>\\?[\"'])"
    r"(?P<value>.*?)(?P=q)"
)
# `?token=v`, `&amp;csrf=v`: a query-string value in a link or text.
_QUERY = re.compile(
    r"(?i)(?P<key>[?&;](?:amp;)?" + _SECRET_WORD + r"=)(?P<value>[^&#\"'\s<>]+)"
)
# `<input name="csrf_token" value="v">`, `<meta name="csrf-token" content="v">`
_TAG = re.compile(r"(?is)<(?:input|meta)\b[^>]*>")
_TAG_NAME = re.compile(r"(?is)\b(?:name|id|property)\s*=\s*([\"'])(.*?)\1")
_TAG_VALUE = re.compile(r"(?is)(\b(?:value|content)\s*=\s*)([\"'])(.*?)\2")
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=-]{8,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_HEADER_LINE = re.compile(r"(?im)^(\s*(?:set-cookie|cookie|authorization)\s*:\s*)(.+)$")
_FILE_EXT = r"(?:png|jpe?g|gif|svg|webp|ico|css|js|mjs|map|woff2?|ttf|html?|json|pdf)"
EMAIL_PATTERN = re.compile(
    r"(?ai)(?<![\w.%+-])[a-z0-9][a-z0-9._%+-]*(?:@|%40|&#64;|\\u0040)"
    r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"\.(?!" + _FILE_EXT + r"\b)[a-z]{2,24}\b"
)
_PHONE_PATTERNS = [
    # international: +86 138 0013 8000, +1 (415) 555-0100, +44 20 7946 0958, 0086-755-8600-1234
    re.compile(r"(?a)(?<![\w+-])(?:\+|00(?=[1-9]))\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){1,5}(?![\w-])"),
    # Chinese mobile: 13800138000, 138-0013-8000, 138 0013 8000
    re.compile(r"(?a)(?<![\w+-])1[3-9]\d(?:[\s-]?\d{4}){2}(?![\w-])"),
    # Chinese landline: 0755-86001234, (0755) 8600 1234, 010-12345678 转 8001
    re.compile(r"(?a)(?<![\w-])(?:\(0\d{2,3}\)\s?|0\d{2,3}-)\d{3,4}[\s-]?\d{4}"
               r"(?:\s?(?:转|ext\.?|x)\s?\d{1,6})?(?![\w-])"),
    # North American without +: (415) 555-0100, 415-555-0100
    re.compile(r"(?a)(?<![\w-])(?:\(\d{3}\)\s?|\d{3}-)\d{3}-\d{4}(?![\w-])"),
]
_TEXT_MIME = re.compile(r"(?i)^(text/|application/(?:[\w.+-]*\+)?(?:json|javascript|xml|"
                        r"x-www-form-urlencoded|ecmascript)|image/svg)")
MIN_NAME = 4  # characters of a legal name, spaces aside
MIN_SECRET = 8  # shorter values ("en", "1") are not searched for elsewhere: too many false hits


class ScrubFailed(AutofillError):
    """The scrubbed output still held a secret: nothing was written."""


@dataclass
class Scrubber:
    """Scrubs HAR documents. `legal_names` and `secrets` are known before (autofill.toml, the
    saved session's cookies); more secrets are learned from each document."""

    legal_names: Iterable[str] = ()
    secrets: Iterable[str] = ()
    learned: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a name of a few letters would be "found" all over the HAR's own structure
        self.legal_names = [n.strip() for n in self.legal_names
                            if n and len(re.sub(r"\s", "", n)) >= MIN_NAME]
        self.learned |= {s for s in self.secrets if s and len(s) >= MIN_SECRET}
        self._names = [_name_pattern(n) for n in self.legal_names]
        self._literal: re.Pattern[str] | None = None

    # --- documents -----------------------------------------------------------------------
    def har(self, document: dict[str, Any]) -> dict[str, Any]:
        """A scrubbed copy of a HAR document (the input is not changed)."""
        doc = copy.deepcopy(document)
        entries = doc.get("log", {}).get("entries", [])
        for entry in entries:
            self._learn_entry(entry)
        self._literal = _literal_pattern(self.learned)
        for entry in entries:
            self._entry(entry)
        log = doc.get("log", {})
        for key in list(log):
            if key != "entries":
                log[key] = self._walk(log[key])
        return doc

    def check(self, serialized: str) -> list[str]:
        """Known secrets still present in serialized output (empty when clean)."""
        found = [s for s in self.learned if any(v in serialized for v in _variants(s))]
        found += [n for n, p in zip(self.legal_names, self._names, strict=True)
                  if p.search(serialized)]
        return found

    # --- pass 1: learn -------------------------------------------------------------------
    def _learn(self, value: object, *, pairs: bool = False) -> None:
        """Remember a credential's value to find it elsewhere; `pairs`: "a=1; b=2" headers."""
        if not isinstance(value, str):
            return
        if _looks_secret(value):
            self.learned.add(value.strip())
        if pairs:
            for part in re.split(r"[;,\s]+", value):
                if _looks_secret(part.split("=", 1)[-1]):
                    self.learned.add(part.split("=", 1)[-1])

    def _learn_entry(self, entry: dict[str, Any]) -> None:
        for side in ("request", "response"):
            message = entry.get(side) or {}
            for header in message.get("headers") or []:
                if _secret_header(str(header.get("name", ""))):
                    value = str(header.get("value", ""))
                    if header.get("name", "").lower() == "set-cookie":
                        value = value.split(";", 1)[0].split("=", 1)[-1]
                    elif " " in value.strip():  # "Bearer abc": the credential is the last word
                        self._learn(value.strip().rsplit(" ", 1)[-1])
                    self._learn(value, pairs=True)
            for cookie in message.get("cookies") or []:
                self._learn(cookie.get("value"))
        request = entry.get("request") or {}
        for pair in request.get("queryString") or []:
            if SECRET_NAME.search(str(pair.get("name", ""))):
                self._learn(pair.get("value"))
        post = request.get("postData") or {}
        for pair in post.get("params") or []:
            if SECRET_NAME.search(str(pair.get("name", ""))):
                self._learn(pair.get("value"))
        if "urlencoded" in str(post.get("mimeType", "")):
            for name, value in parse_qsl(str(post.get("text", "")), keep_blank_values=True):
                if SECRET_NAME.search(name):
                    self._learn(value)
        text = _body_text(entry.get("response", {}).get("content") or {})
        if text:
            for tag in _TAG.findall(text):
                named = _TAG_NAME.search(tag)
                valued = _TAG_VALUE.search(tag)
                if named and valued and SECRET_NAME.search(named.group(2)):
                    self._learn(html.unescape(valued.group(3)))
            for found in _ASSIGNED.finditer(text):
                self._learn(found.group("value"))

    # --- pass 2: replace -----------------------------------------------------------------
    def _entry(self, entry: dict[str, Any]) -> None:
        request = entry.get("request") or {}
        response = entry.get("response") or {}
        for message in (request, response):
            message["headers"] = [self._header(h) for h in message.get("headers") or []]
            for cookie in message.get("cookies") or []:
                cookie["value"] = REDACTED
                self._count("cookie")
        if "url" in request:
            request["url"] = self.url(str(request["url"]))
        for pair in request.get("queryString") or []:
            name = str(pair.get("name", ""))
            pair["name"] = self.text(name)
            pair["value"] = (REDACTED if SECRET_NAME.search(name)
                             else self.text(str(pair.get("value", ""))))
        if request.get("postData"):
            request["postData"] = self._post(request["postData"])
        if response.get("redirectURL"):
            response["redirectURL"] = self.url(str(response["redirectURL"]))
        content = response.get("content")
        if isinstance(content, dict):
            response["content"] = self._content(content)
            _fix_length(response)
        for key in list(entry):
            if key not in ("request", "response"):
                entry[key] = self._walk(entry[key])
        for message in (request, response):
            for key in list(message):
                if key not in ("headers", "cookies", "url", "queryString", "postData",
                               "redirectURL", "content"):
                    message[key] = self._walk(message[key])

    def _header(self, header: dict[str, Any]) -> dict[str, Any]:
        name = str(header.get("name", ""))
        value = str(header.get("value", ""))
        if _secret_header(name):
            self._count("header")
            if name.lower() == "set-cookie":  # keep the cookie's name and attributes
                first, _, rest = value.partition(";")
                cookie = first.split("=", 1)[0]
                value = f"{cookie}={REDACTED}" + (f";{rest}" if rest else "")
                return {**header, "value": value}
            scheme = value.strip().split(" ", 1)[0] if " " in value.strip() else ""
            if "authorization" not in name.lower() or not scheme.isalpha():
                scheme = ""  # "Bearer <REDACTED>" keeps its scheme; nothing else keeps a part
            return {**header, "value": f"{scheme} {REDACTED}".strip()}
        if name.lower() in {"referer", "location", "content-location", "origin"}:
            return {**header, "value": self.url(value)}
        return {**header, "value": self.text(value)}

    def _post(self, post: dict[str, Any]) -> dict[str, Any]:
        post = dict(post)
        mime = str(post.get("mimeType", ""))
        params = []
        for pair in post.get("params") or []:
            pair = dict(pair)
            name = str(pair.get("name", ""))
            if "fileName" in pair or "contentType" in pair:
                pair["value"] = ""  # an uploaded file: dropped with the binary bodies
                pair["fileName"] = self.text(str(pair.get("fileName", "")))
            elif SECRET_NAME.search(name):
                pair["value"] = REDACTED
            else:
                pair["value"] = self.text(str(pair.get("value", "")))
            params.append(pair)
        if "params" in post:
            post["params"] = params
        text = str(post.get("text", ""))
        if "urlencoded" in mime:
            pairs = parse_qsl(text, keep_blank_values=True)
            post["text"] = urlencode([
                (n, REDACTED if SECRET_NAME.search(n) else self.text(v)) for n, v in pairs
            ])
        elif "multipart" in mime:
            post["text"] = self._multipart(text)
        elif "json" in mime:
            post["text"] = self._json_text(text)
        else:
            post["text"] = self.text(text)
        return post

    def _multipart(self, text: str) -> str:
        """Keep each part's name and (scrubbed) text value; drop file contents."""
        found = re.match(r"--([^\r\n]+)\r?\n", text)
        if not found:
            return self.text(text)
        boundary = found.group(1)
        out = []
        for part in text.split("--" + boundary):
            head, sep, body = part.partition("\r\n\r\n")
            if not sep:
                head, sep, body = part.partition("\n\n")
            if not sep:
                out.append(part)
                continue
            name = re.search(r'name="([^"]*)"', head)
            if "filename=" in head:
                body = "\r\n"
            elif name and SECRET_NAME.search(name.group(1)):
                body = REDACTED + "\r\n"
            else:
                body = self.text(body)
            out.append(self.text(head) + sep + body)
        return ("--" + boundary).join(out)

    def _content(self, content: dict[str, Any]) -> dict[str, Any]:
        content = dict(content)
        mime = str(content.get("mimeType", ""))
        if "text" not in content:
            return {k: self._walk(v) for k, v in content.items()}
        if not _TEXT_MIME.search(mime):
            if not content["text"]:
                return content
            content["text"] = ""  # binary: dropped
            content.pop("encoding", None)
            content["size"] = 0
            content["comment"] = "binary body dropped by autofill's scrubber"
            self._count("binary body")
            return content
        text = _body_text(content)
        if text is None:
            content["text"] = ""
            content.pop("encoding", None)
            return content
        if "json" in mime:
            text = self._json_text(text)
        elif "html" in mime or "xml" in mime or "svg" in mime:
            text = self.text(text, "html")
        else:
            text = self.text(text)
        content.pop("encoding", None)
        content["text"] = text
        content["size"] = len(text.encode("utf-8"))
        return content

    def _json_text(self, text: str) -> str:
        try:
            data = json.loads(text)
        except ValueError:
            return self.text(text)
        return json.dumps(self._json(data), ensure_ascii=False)

    def _json(self, value: Any, key: str = "") -> Any:
        if key and SECRET_NAME.search(key) and isinstance(value, str | int | float):
            self._count("json secret")
            return REDACTED
        if isinstance(value, dict):
            return {self.text(str(k)): self._json(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._json(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def _walk(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    # --- text ----------------------------------------------------------------------------
    def url(self, url: str) -> str:
        """A URL with secret query values, user info, e-mails and phone numbers replaced; the
        same URL, byte for byte, when there is nothing to replace (replay matches on it)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.text(url, "url")
        netloc = parts.netloc.rsplit("@", 1)[-1] if "@" in parts.netloc else parts.netloc
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            clean = [(n, REDACTED if SECRET_NAME.search(n) else self.text(v)) for n, v in pairs]
            if clean != pairs:
                query = urlencode(clean, quote_via=quote)
                self._count("url")
        rebuilt = urlunsplit(parts._replace(netloc=netloc, query=query))
        return self.text(rebuilt, "url")

    def text(self, value: str, kind: Kind = "plain") -> str:
        """Every known secret, credential pattern, e-mail, phone number and legal name in
        `value`, replaced by its placeholder."""
        if not value:
            return value
        mark = _marker(kind)
        if self._literal is not None:
            value = self._sub(self._literal, lambda m: mark(REDACTED), value, "secret")
        for pattern in self._names:
            value = self._sub(pattern, lambda m: mark(LEGAL_NAME), value, "legal name")
        if kind == "html":
            value = _TAG.sub(lambda m: self._tag(m.group(0)), value)
        value = self._sub(_HEADER_LINE, lambda m: m.group(1) + mark(REDACTED), value, "header")
        value = self._sub(_BEARER, lambda m: m.group(1) + m.group(2) + mark(REDACTED), value,
                          "bearer")
        value = self._sub(_JWT, lambda m: mark(REDACTED), value, "jwt")
        value = self._sub(
            _ASSIGNED, lambda m: m.group("key") + m.group("q") + mark(REDACTED) + m.group("q"),
            value, "token")
        value = self._sub(_QUERY, lambda m: m.group("key") + _marker("url")(REDACTED), value,
                          "token")
        value = self._sub(EMAIL_PATTERN, lambda m: mark(EMAIL), value, "email")
        for pattern in _PHONE_PATTERNS:
            value = self._sub(pattern, lambda m: _phone(m, mark), value, "phone")
        return value

    def _tag(self, tag: str) -> str:
        named = _TAG_NAME.search(tag)
        if not named or not SECRET_NAME.search(named.group(2)):
            return tag
        self._count("hidden field")
        return _TAG_VALUE.sub(lambda m: m.group(1) + m.group(2) + html.escape(REDACTED)
                              + m.group(2), tag)

    def _sub(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], value: str,
             what: str) -> str:
        def counted(found: re.Match[str]) -> str:
            new = replace(found)
            if new != found.group(0):
                self._count(what)
            return new

        return pattern.sub(counted, value)

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


def scrub_file(source: Path, target: Path, scrubber: Scrubber) -> dict[str, int]:
    """Write a scrubbed copy of the HAR `source` to `target`; what was replaced, by kind.

    Raises ScrubFailed (writing nothing) if a known secret would survive.
    """
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ScrubFailed(f"{source}: not a readable HAR file ({err}).") from err
    clean = scrubber.har(document)
    text = json.dumps(clean, ensure_ascii=False, indent=1)
    left = scrubber.check(text)
    if left:
        raise ScrubFailed(
            f"Scrubbing {source.name} left {len(left)} secret value(s) in place; nothing was "
            "written.", "Report this (without the file): the scrubber needs a new rule.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n", encoding="utf-8")
    return dict(scrubber.counts)


# --- helpers -----------------------------------------------------------------------------
def _secret_header(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_HEADERS or bool(SECRET_NAME.search(lowered))


def _looks_secret(value: str) -> bool:
    """A credential-like value (long, mixed characters), not a word such as "active" that would
    be replaced everywhere else on the site."""
    value = value.strip()
    if len(value) < MIN_SECRET or " " in value or value in (REDACTED, html.escape(REDACTED)):
        return False
    kinds = [any(c.islower() for c in value), any(c.isupper() for c in value),
             any(c.isdigit() for c in value), any(not c.isalnum() for c in value)]
    return len(value) >= 16 or (sum(kinds) >= 2 and not value.isalpha())


def _marker(kind: Kind) -> Callable[[str], str]:
    if kind == "html":
        return html.escape
    if kind == "url":
        return lambda placeholder: quote(placeholder, safe="")
    return lambda placeholder: placeholder


def _phone(found: re.Match[str], mark: Callable[[str], str]) -> str:
    digits = sum(c.isdigit() for c in found.group(0))
    return mark(PHONE) if 7 <= digits <= 15 else found.group(0)


def _variants(secret: str) -> set[str]:
    """How a value can appear: as is, HTML-escaped, JSON-escaped, percent-encoded."""
    out = {secret, html.escape(secret), quote(secret, safe=""), quote_plus(secret),
           json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    return {v for v in out if v}


def _literal_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    variants = sorted({v for s in secrets for v in _variants(s)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in variants)) if variants else None


def _name_pattern(name: str) -> re.Pattern[str]:
    """The legal name in any case, any spacing, HTML- or percent-encoded."""
    words = [w for w in re.split(r"\s+", name) if w]
    alternatives = set()
    for joiner, encode in ((r"(?:\s|&nbsp;|%20|\+)+", lambda w: w),
                           (r"(?:\s|&nbsp;)+", html.escape),
                           (r"(?:%20|\+)+", lambda w: quote(w, safe="")),
                           (r"\s+", lambda w: json.dumps(w)[1:-1])):
        alternatives.add(joiner.join(re.escape(encode(w)) for w in words))
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(f"(?i)(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])")


def _body_text(content: dict[str, Any]) -> str | None:
    text = content.get("text")
    if not isinstance(text, str):
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
    return text


def _fix_length(response: dict[str, Any]) -> None:
    """Replay serves the scrubbed body: its Content-Length must say its new size."""
    content = response.get("content") or {}
    size = len(str(content.get("text", "")).encode("utf-8"))
    headers = response.get("headers") or []
    response["headers"] = [
        {**h, "value": str(size)} if str(h.get("name", "")).lower() == "content-length" else h
        for h in headers if str(h.get("name", "")).lower() != "content-encoding"
    ]
    if isinstance(response.get("bodySize"), int) and response["bodySize"] >= 0:
        response["bodySize"] = size
