"""A tiny DOM for the sandbox tests: enough to read pages by role, label and text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        wanted = {k.replace("_", "-") if k.startswith("aria") else k: v for k, v in attrs.items()}
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k) == v for k, v in wanted.items())]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def dl(self) -> dict[str, str]:
        """The <dt>/<dd> pairs of the first <dl> in this node."""
        pairs = {}
        for group in self.find("dl").children:
            if isinstance(group, Node):
                pairs[group.find("dt").text()] = group.find("dd").text()
        return pairs


_VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "area", "base", "wbr"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows' cell texts of the table with this caption."""
    for table in parse(html).find_all("table"):
        if table.find("caption").text() == caption:
            return [[td.text() for td in tr.find_all("td")] for tr in table.find("tbody")
                    .find_all("tr")]
    raise AssertionError(f"no table captioned {caption!r}")


def alert_items(html: str) -> list[str]:
    return [li.text() for alert in parse(html).find_all(role="alert") for li in
            alert.find_all("li")]
