"""Scrambled markup: what a CSS-in-JS site looks like after each deploy, on every response.

Templates mark order-free containers (nav lists, `<dl>` groups, table bodies, form field groups,
lists of notifications) with a bare `data-shuffle` attribute. Every HTML response is parsed with
the stdlib HTML parser and written back:

- always: `data-shuffle` is removed, so no flow can lean on it;
- scramble on: every id and class gets a random token for this response only (references kept
  consistent: `for`, `form`, `list`, `headers`, `aria-labelledby`, `aria-describedby`,
  `aria-controls` and the other aria id references, `href="#id"`, and the selectors of inline
  `<style>` blocks), and the element children of marked containers are put in random order.
"""

from __future__ import annotations

import html
import random
import re
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from autofill.sandbox.config import SandboxConfig

SHUFFLE_ATTR = "data-shuffle"
VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
IDREF_ATTRS = frozenset(
    {
        "for",
        "form",
        "list",
        "headers",
        "aria-labelledby",
        "aria-describedby",
        "aria-controls",
        "aria-owns",
        "aria-activedescendant",
        "aria-errormessage",
        "aria-details",
        "aria-flowto",
    }
)
_SELECTOR_PRELUDE = re.compile(r"([^{}]*)\{")
_SELECTOR_NAME = re.compile(r"([.#])(-?[_a-zA-Z][_a-zA-Z0-9-]*)")

Attrs = list[tuple[str, str | None]]


@dataclass
class Element:
    tag: str
    attrs: Attrs
    children: list[Element | str] = field(default_factory=list)
    closed: bool = True  # False for void elements: no end tag
    shuffle: bool = False  # marked order-free (the mark itself is dropped at parse time)


class _TreeBuilder(HTMLParser):
    """Builds a forgiving tree; text, comments and declarations are kept as raw markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = Element("#root", [])
        self._stack: list[Element] = [self.root]

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        element = _element(tag, attrs, closed=tag not in VOID)
        self._stack[-1].children.append(element)
        if element.closed:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None:
        self._stack[-1].children.append(_element(tag, attrs, closed=False))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return  # an end tag with no open element is dropped

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)

    def handle_entityref(self, name: str) -> None:
        self._stack[-1].children.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._stack[-1].children.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._stack[-1].children.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._stack[-1].children.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._stack[-1].children.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._stack[-1].children.append(f"<![{data}]>")


def _element(tag: str, attrs: Attrs, closed: bool) -> Element:
    kept = [(n, v) for n, v in attrs if n != SHUFFLE_ATTR]
    return Element(tag, kept, closed=closed, shuffle=len(kept) != len(attrs))


def rewrite_html(markup: str, scramble: bool, rng: random.Random | None = None) -> str:
    """The page with `data-shuffle` removed and, when `scramble`, ids/classes/order scrambled."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    root = builder.root
    if scramble:
        _Scrambler(rng or random.Random(secrets.randbits(64))).run(root)
    return "".join(_serialize(root))


class _Scrambler:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        self._used: set[str] = set()

    def run(self, root: Element) -> None:
        elements = list(_walk(root))
        for element in elements:
            for name, value in element.attrs:
                if name == "id" and value:
                    self.ids.setdefault(value, self._token("i"))
                elif name == "class" and value:
                    for cls in value.split():
                        self.classes.setdefault(cls, self._token("css-"))
        for element in elements:
            element.attrs = [self._attr(n, v) for n, v in element.attrs]
            if element.tag == "style":
                element.children = [self._css(c) if isinstance(c, str) else c
                                    for c in element.children]
        for element in elements:
            if element.shuffle:
                self._shuffle(element)

    def _token(self, prefix: str) -> str:
        while True:
            token = prefix + "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                     for _ in range(7))
            if token not in self._used:
                self._used.add(token)
                return token

    def _attr(self, name: str, value: str | None) -> tuple[str, str | None]:
        if value is None:
            return name, value
        if name == "id":
            return name, self.ids.get(value, value)
        if name == "class":
            return name, " ".join(self.classes.get(c, c) for c in value.split())
        if name in IDREF_ATTRS:
            return name, " ".join(self.ids.get(ref, ref) for ref in value.split())
        if name == "href" and value.startswith("#") and value[1:] in self.ids:
            return name, "#" + self.ids[value[1:]]
        return name, value

    def _css(self, css: str) -> str:
        def selector(match: re.Match[str]) -> str:
            names = self.ids if match.group(1) == "#" else self.classes
            return match.group(1) + names.get(match.group(2), match.group(2))

        return _SELECTOR_PRELUDE.sub(
            lambda m: _SELECTOR_NAME.sub(selector, m.group(1)) + "{", css
        )

    def _shuffle(self, element: Element) -> None:
        slots = [i for i, child in enumerate(element.children) if isinstance(child, Element)]
        moved = [element.children[i] for i in slots]
        self.rng.shuffle(moved)
        for slot, child in zip(slots, moved, strict=True):
            element.children[slot] = child


def _walk(root: Element) -> list[Element]:
    found: list[Element] = []
    stack = [root]
    while stack:
        element = stack.pop()
        if element is not root:
            found.append(element)
        stack.extend(c for c in reversed(element.children) if isinstance(c, Element))
    return found


def _serialize(node: Element | str) -> list[str]:
    if isinstance(node, str):
        return [node]
    out: list[str] = []
    if node.tag != "#root":
        attrs = "".join(
            f" {n}" if v is None else f' {n}="{html.escape(v, quote=True)}"' for n, v in node.attrs
        )
        out.append(f"<{node.tag}{attrs}>")
    for child in node.children:
        out.extend(_serialize(child))
    if node.tag != "#root" and node.closed:
        out.append(f"</{node.tag}>")
    return out


class ScrambleMiddleware:
    """ASGI middleware running `rewrite_html` on every text/html response."""

    def __init__(self, app: ASGIApp, config: SandboxConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _is_html(message):
                    start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_rewritten(start, b"".join(chunks), send)
            else:
                await send(message)

        await self.app(scope, receive, capture)

    async def _send_rewritten(self, start: Message, body: bytes, send: Send) -> None:
        scramble = self.config.scramble
        if scramble or SHUFFLE_ATTR.encode() in body:
            try:
                body = rewrite_html(body.decode("utf-8"), scramble).encode("utf-8")
            except UnicodeDecodeError:
                pass  # not our UTF-8 page: leave it as it is
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_html(start: Message) -> bool:
    for key, value in start.get("headers", []):
        if key.lower() == b"content-type":
            return bool(value.lower().startswith(b"text/html"))
    return False
