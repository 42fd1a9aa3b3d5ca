"""The HTTP floor's HTML reading: Lexbor (selectolax), the fastest HTML5 parser Python has, read
by tag and attribute the cheapest way that still gives the scan's answers.

Just enough to read the sandbox's semantic markup the way the scan does (tables by caption,
sections by aria-label, term/definition lists), with no regular expressions over markup. The scan
reads by role and accessible name (autofill/htmlread.py), which costs more: this is what reading
the same pages cannot cost less than.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

HIDDEN = ("script", "style", "template")


class Node:
    __slots__ = ("node",)

    def __init__(self, node: LexborNode) -> None:
        self.node = node

    @property
    def tag(self) -> str:
        return self.node.tag or ""

    @property
    def attrs(self) -> dict[str, str]:
        return {k: v or "" for k, v in self.node.attributes.items()}

    @property
    def parent(self) -> Node | None:
        up = self.node.parent
        return Node(up) if up is not None else None

    def children(self) -> list[Node]:
        return [Node(c) for c in self.node.iter()]

    def text(self) -> str:
        if self.node.css_first(",".join(HIDDEN)) is None:
            return " ".join(self.node.text(deep=True).split())
        return " ".join("".join(self._texts(self.node)).split())

    def _texts(self, node: LexborNode) -> Iterator[str]:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                yield child.text_content or ""
            elif child.tag not in HIDDEN:
                yield from self._texts(child)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """Descendants (not this node), in document order."""
        for found in self.node.css(tag or "*"):
            if found.mem_id != self.node.mem_id:
                yield Node(found)

    def find(self, tag: str, **attrs: str) -> Node | None:
        return next(self.find_all(tag, **attrs), None)

    def find_all(self, tag: str, **attrs: str) -> Iterator[Node]:
        selector = tag + "".join(f'[{k.replace("_", "-")}="{_quoted(v)}"]'
                                 for k, v in attrs.items())
        for found in self.node.css(selector):
            if found.mem_id != self.node.mem_id:
                yield Node(found)


def _quoted(value: str) -> str:
    """`value` inside a CSS string in double quotes."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def parse(html: str) -> Node:
    return Node(LexborHTMLParser(html).root or LexborHTMLParser("<html></html>").root)


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
                for i, td in enumerate(c for c in tr.children() if c.tag in ("td", "th")):
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
        dd = dt.node.next
        while dd is not None and dd.tag != "dd":
            dd = dd.next
        if dd is None:
            continue
        value = Node(dd)
        out[dt.text()] = {"text": value.text(), "items": [li.text() for li in value.iter("li")]}
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
