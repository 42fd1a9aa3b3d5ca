"""A small HTML tree built with the standard library's html.parser, for the HTTP floor.

Just enough to read the sandbox's semantic markup the way the scan does (tables by caption,
sections by aria-label, term/definition lists), with no regular expressions over markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
# elements whose end tag may be left out, closed by the next sibling of the same kind
SELF_CLOSING_SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"},
                         "td": {"td", "th"}, "th": {"td", "th"}, "p": {"p"}, "option": {"option"}}


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag not in ("script", "style", "template"):
                yield from child._texts()

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def find(self, tag: str, **attrs: str) -> Node | None:
        return next(self.find_all(tag, **attrs), None)

    def find_all(self, tag: str, **attrs: str) -> Iterator[Node]:
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        for node in self.iter(tag):
            if all(node.attrs.get(k) == v for k, v in wanted.items()):
                yield node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes = {t for t, closers in SELF_CLOSING_SIBLINGS.items() if tag in closers}
        if self.current.tag in closes:
            self.current = self.current.parent or self.root
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def table_by_caption(root: Node, caption: str) -> list[dict[str, object]]:
    """Rows as {"cells": {header: text}, "links": {header: absolute-less href}} (like dom.py)."""
    for table in root.iter("table"):
        cap = table.find("caption")
        if cap is None or cap.text() != caption:
            continue
        head = table.find("thead")
        names = [th.text() for th in (head or table).iter("th")]
        rows: list[dict[str, object]] = []
        for body in table.iter("tbody"):
            for tr in body.iter("tr"):
                cells: dict[str, str] = {}
                links: dict[str, str] = {}
                for i, td in enumerate(c for c in tr.children
                                       if isinstance(c, Node) and c.tag in ("td", "th")):
                    name = names[i] if i < len(names) else str(i)
                    cells[name] = td.text()
                    a = td.find("a")
                    if a is not None and "href" in a.attrs:
                        links[name] = a.attrs["href"]
                rows.append({"cells": cells, "links": links})
        return rows
    return []


def terms(root: Node) -> dict[str, dict[str, object]]:
    """`<dt>` text -> {"text", "items"} for every term under `root` (like dom.py's read_terms)."""
    out: dict[str, dict[str, object]] = {}
    for dt in root.iter("dt"):
        parent = dt.parent
        if parent is None:
            continue
        siblings = [c for c in parent.children if isinstance(c, Node)]
        after = siblings[siblings.index(dt) + 1:]
        dd = next((s for s in after if s.tag == "dd"), None)
        if dd is None:
            continue
        out[dt.text()] = {"text": dd.text(), "items": [li.text() for li in dd.iter("li")]}
    return out


def section(root: Node, label: str) -> Node | None:
    return root.find("section", aria_label=label)


def page_count(root: Node) -> int:
    nav = root.find("nav", aria_label="Pagination")
    if nav is None:
        return 1
    words = nav.text().split()
    # "Previous Page 2 of 25 Next": the number after "of"
    for i, word in enumerate(words[:-1]):
        if word == "of" and words[i + 1].isdigit():
            return int(words[i + 1])
    return 1


def absolute(base: str, href: str) -> str:
    return urljoin(base, href)
