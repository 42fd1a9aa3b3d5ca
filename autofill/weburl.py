"""URLs written the way a browser writes them (WHATWG URL): what `a.href` and a form's GET
submission give, for the Python reader of fetched pages (autofill.htmlread)."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit, urlunsplit


def resolve(base: str, href: str) -> str:
    """An href as the browser gives it (`a.href`): absolute and normalised (host in lower case,
    no default port, no dot segments), spaces and non-ASCII percent-encoded."""
    joined = urljoin(base, href.strip())
    parts = urlsplit(joined)
    if parts.scheme not in DEFAULT_PORTS or not parts.netloc:
        return joined
    host = (parts.hostname or "").lower()
    if parts.port is not None and parts.port != DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{parts.port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    path = _without_dot_segments(parts.path) or "/"
    return urlunsplit((parts.scheme, netloc, _encoded(path, PATH_KEEPS_NOT),
                       _encoded(parts.query, QUERY_KEEPS_NOT),
                       _encoded(parts.fragment, FRAGMENT_KEEPS_NOT)))


DEFAULT_PORTS = {"http": 80, "https": 443}
# what the URL standard percent-encodes besides controls, space and non-ASCII
QUERY_KEEPS_NOT = set('"#<>\'')
PATH_KEEPS_NOT = QUERY_KEEPS_NOT - {"'"} | set("?`{}")
FRAGMENT_KEEPS_NOT = set('"<>`')


def _encoded(text: str, also: set[str]) -> str:
    return "".join(quote(ch, safe="") if ch <= " " or ch > "~" or ch in also else ch
                   for ch in text)


def _without_dot_segments(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        elif segment == ".":
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)


def form_urlencoded(entries: list[tuple[str, str]]) -> str:
    """URLSearchParams' serialisation: UTF-8, space as +, only *-._ and alphanumerics kept."""
    def one(text: str) -> str:
        return quote(text, safe="* ").replace("~", "%7E").replace(" ", "+")
    return "&".join(f"{one(k)}={one(v)}" for k, v in entries)
