"""A fetched page's HTML read by role and accessible name in Python: what autofill.dom's reader
does in a tab (READ_HTML), without sending the page to the browser.

The HTML is parsed by Lexbor (selectolax), an HTML5 parser that builds the same tree as a
browser's DOMParser: tables get their tbody, template content stays out of the tree, scripts do
not run. Then the same rules as autofill.dom's role engine find the parts and read them, with
the browser's text and URL rules (textContent, JavaScript whitespace, WHATWG form encoding).
tests/perf/test_htmlread_parity.py holds both readers to the same answer on every kind of sandbox
page, plain and scrambled, and on the edge cases below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from autofill.dom import Part, Reading, Role
from autofill.weburl import form_urlencoded, resolve

Parts = dict[str, Any]

# autofill.dom's ROLE_TAGS, as CSS selectors for the same elements
ROLE_TAGS = {
    "article": "article", "banner": "header",
    "button": "button, input[type=submit], input[type=button], input[type=reset]",
    "form": "form", "heading": "h1, h2, h3, h4, h5, h6", "link": "a[href], area[href]",
    "list": "ul, ol", "listitem": "li", "main": "main", "navigation": "nav",
    "region": "section", "search": "search", "table": "table",
    "textbox": "textarea, input:not([type]), input[type=text], input[type=email]",
    "combobox": "select:not([multiple])", "listbox": "select[multiple]",
}
NAMED_ONLY = {"region", "form"}
FROM_CONTENT = {"button", "link", "heading", "listitem", "cell", "tab", "option"}
NAME_FROM_TEXT = re.compile(r"^(button|a|h[1-6]|li|td|th|option|summary)$")
# JavaScript's \s: what `clean` collapses in the browser (Python's \s differs at the edges)
JS_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
                      "\ufeff]+")
SUBMITTERS = "button[type=submit], button:not([type]), input[type=submit]"


def clean(text: str | None) -> str:
    return JS_SPACE.sub(" ", text or "").strip(" ")


def read_html(html: str, url: str, reading: Reading) -> Parts:
    """The parts `reading` names, from a page's HTML fetched from `url`."""
    return _Document(html, url).read(reading)


class _Document:
    def __init__(self, html: str, url: str) -> None:
        self.tree = LexborHTMLParser(html)
        base = self.tree.css_first("base[href]")
        self.base = urljoin(url, base.attributes.get("href") or "") if base else url
        self._ids: dict[str, LexborNode] | None = None

    def read(self, reading: Reading) -> Parts:
        out: Parts = {}
        for key, part in reading.parts.items():
            roots = self.by_role(None, part.within) if part.within else [None]
            found = [el for root in roots for el in self.by_role(root, part.role)]
            read = self._reader(part)
            out[key] = [read(el) for el in found] if part.each else (
                read(found[0]) if found else None)
        return out

    def _reader(self, part: Part) -> Callable[[LexborNode], Any]:
        return {"terms": self.terms, "table": self.table, "text": text_of,
                "exists": lambda _el: True, "choices": self.choices}[part.read]

    # --- the role engine ----------------------------------------------------------------------
    def by_role(self, root: LexborNode | None, want: Role) -> list[LexborNode]:
        """Elements under `root` (the document when None) with `want`'s role and name, in
        document order, as querySelectorAll and autofill.dom's byRole find them."""
        tags = ROLE_TAGS.get(want.role)
        selector = f'[role~="{want.role}"]' + (f", {tags}" if tags else "")
        scope = root if root is not None else self.tree.root
        if scope is None:
            return []
        needle = None if want.name is None else clean(want.name)
        out = []
        for el in scope.css(selector):
            if root is not None and el.mem_id == root.mem_id:
                continue  # querySelectorAll looks below the element, not at it
            role = el.attributes.get("role")
            if role and role.split()[0] != want.role:
                continue
            if _hidden(el):
                continue
            name = self.name_of(el)
            if not role and want.role in NAMED_ONLY and not name:
                continue
            if want.level and _level(el) != want.level:
                continue
            if needle is not None and not (
                    name == needle if want.exact else needle.lower() in name.lower()):
                continue
            out.append(el)
        return out

    def name_of(self, el: LexborNode) -> str:
        """The accessible name as autofill.dom's accName computes it."""
        attrs = el.attributes
        labelled_by = attrs.get("aria-labelledby")
        if labelled_by:
            named = [self.by_id(i) for i in labelled_by.split()]
            joined = " ".join(clean(text_of(e)) for e in named if e is not None)
            if joined:
                return clean(joined)
        label = clean(attrs.get("aria-label"))
        if label:
            return label
        if el.tag == "table":
            caption = next((c for c in _children(el) if c.tag == "caption"), None)
            if caption is not None:
                return text_of(caption)
        if el.tag == "input":
            return clean(attrs.get("value"))
        element_id = attrs.get("id")
        if element_id:
            for lab in self.tree.css("label[for]"):
                if lab.attributes.get("for") == element_id:
                    return text_of(lab)
        wrapping = _closest(el, lambda e: e.tag == "label")
        if wrapping is not None:
            return text_of(wrapping)
        if (attrs.get("role") or "") in FROM_CONTENT or NAME_FROM_TEXT.match(el.tag or ""):
            return text_of(el)
        return ""

    def by_id(self, element_id: str) -> LexborNode | None:
        if self._ids is None:
            self._ids = {}
            for el in self.tree.css("[id]"):
                self._ids.setdefault(el.attributes.get("id") or "", el)
        return self._ids.get(element_id)

    # --- readers ------------------------------------------------------------------------------
    def href(self, anchor: LexborNode) -> str:
        return resolve(self.base, anchor.attributes.get("href") or "")

    def terms(self, root: LexborNode) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for dt in root.css("dt"):
            if dt.mem_id == root.mem_id:
                continue
            dd = _next_element(dt)
            while dd is not None and dd.tag != "dd":
                dd = _next_element(dd)
            if dd is None:
                continue
            link = _first(dd, "a[href]")
            out[text_of(dt)] = {"text": text_of(dd),
                                "items": [text_of(li) for li in _below(dd, "li")],
                                "href": self.href(link) if link is not None else None}
        return out

    def table(self, table: LexborNode) -> list[dict[str, Any]]:
        rows = list(_table_rows(table))
        head_group = next((c for c in _children(table) if c.tag == "thead"), None)
        if head_group is not None:
            head = next((r for r in _children(head_group) if r.tag == "tr"), None)
        else:
            head = rows[0] if rows else None
        if head is None:
            return []
        names = [text_of(c) for c in _cells(head)]
        bodies = [c for c in _children(table) if c.tag == "tbody"]
        body_rows = ([r for body in bodies for r in _children(body) if r.tag == "tr"]
                     if bodies else rows)
        out = []
        for row in body_rows:
            if row.mem_id == head.mem_id:
                continue
            cells: dict[str, str] = {}
            links: dict[str, str] = {}
            for i, cell in enumerate(_cells(row)):
                name = names[i] if i < len(names) and names[i] else str(i)
                cells[name] = text_of(cell)
                anchor = _first(cell, "a[href]")
                if anchor is not None:
                    links[name] = self.href(anchor)
            out.append({"cells": cells, "links": links})
        return out

    def choices(self, select: LexborNode) -> dict[str, str] | None:
        """{option label: the URL the select's GET form goes to with that option chosen}."""
        form = self._form_of(select)
        if form is None or (form.attributes.get("method") or "get").lower() != "get":
            return None
        submitter = _first(form, SUBMITTERS)
        action = resolve(self.base, form.attributes.get("action") or "")
        out: dict[str, str] = {}
        options = _below(select, "option")
        for option in options:
            chosen = _option_value(option)
            # setting select.value selects the first option with that value
            picked = next(o for o in options if _option_value(o) == chosen)
            query = form_urlencoded(self._form_data(form, submitter, select, picked))
            parts = urlsplit(action)
            out[clean(option.attributes.get("label") or text_of(option))] = urlunsplit(
                parts._replace(query=query, fragment=""))
        return out

    def _form_of(self, el: LexborNode) -> LexborNode | None:
        owner = el.attributes.get("form")
        if owner is not None:
            found = self.by_id(owner)
            return found if found is not None and found.tag == "form" else None
        return _closest(el, lambda e: e.tag == "form")

    def _form_data(self, form: LexborNode, submitter: LexborNode | None,
                   select: LexborNode, picked: LexborNode) -> list[tuple[str, str]]:
        """The form's entry list (HTML's "constructing the entry list"), `select` set to
        `picked`: the fields a plain form sends."""
        entries: list[tuple[str, str]] = []
        for field in self.tree.css("input, select, textarea, button"):
            owner = self._form_of(field)
            if owner is None or owner.mem_id != form.mem_id:
                continue
            attrs = field.attributes
            name = attrs.get("name")
            kind = (attrs.get("type") or "").lower()
            if not name or _disabled(field) or _closest(field, lambda e: e.tag == "datalist"):
                continue
            is_button = field.tag == "button" or (
                field.tag == "input" and kind in {"submit", "image", "reset", "button"})
            if is_button:
                if submitter is not None and field.mem_id == submitter.mem_id and \
                        kind not in {"reset", "button"}:
                    entries.append((name, attrs.get("value") or ""))
                continue
            if field.tag == "select":
                if field.mem_id == select.mem_id:
                    entries.append((name, _option_value(picked)))
                else:
                    entries.extend((name, _option_value(o)) for o in _selected(field))
            elif field.tag == "textarea":
                entries.append((name, _newlines(field.text(deep=True))))
            elif kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    entries.append((name, attrs.get("value") or "on"))
            elif kind == "file":
                entries.append((name, ""))
            elif kind == "hidden" and name.lower() == "_charset_" and not attrs.get("value"):
                entries.append((name, "UTF-8"))
            else:
                entries.append((name, _newlines(attrs.get("value") or "")))
        return entries


# --- tree helpers -----------------------------------------------------------------------------
def text_of(el: LexborNode) -> str:
    """textContent, cleaned: every text below, scripts' included, comments not."""
    return clean(el.text(deep=True))


def _children(el: LexborNode) -> Iterator[LexborNode]:
    child = el.child
    while child is not None:
        if child.is_element_node:
            yield child
        child = child.next


def _next_element(el: LexborNode) -> LexborNode | None:
    sibling = el.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next
    return sibling


def _closest(el: LexborNode | None, test: Callable[[LexborNode], bool]) -> LexborNode | None:
    while el is not None and el.is_element_node:
        if test(el):
            return el
        el = el.parent
    return None


def _below(el: LexborNode, selector: str) -> list[LexborNode]:
    return [x for x in el.css(selector) if x.mem_id != el.mem_id]


def _first(el: LexborNode, selector: str) -> LexborNode | None:
    found = _below(el, selector)
    return found[0] if found else None


def _hidden(el: LexborNode) -> bool:
    """What the markup says is hidden (a parsed document has no styles)."""
    def says_hidden(e: LexborNode) -> bool:
        attrs = e.attributes
        style = attrs.get("style") or ""
        return ("hidden" in attrs or attrs.get("aria-hidden") == "true" or e.tag == "template"
                or "display:none" in style or "display: none" in style)
    return _closest(el, says_hidden) is not None


def _level(el: LexborNode) -> int:
    match = re.match(r"\s*([+-]?\d+)", el.attributes.get("aria-level") or "")
    if match and int(match.group(1)):
        return int(match.group(1))
    heading = re.fullmatch(r"h([1-6])", el.tag or "")
    return int(heading.group(1)) if heading else 0


def _table_rows(table: LexborNode) -> Iterator[LexborNode]:
    """HTMLTableElement.rows: the thead's rows, the body rows in order, the tfoot's last."""
    groups = list(_children(table))
    for group in groups:
        if group.tag == "thead":
            yield from (r for r in _children(group) if r.tag == "tr")
    for group in groups:
        if group.tag == "tr":
            yield group
        elif group.tag == "tbody":
            yield from (r for r in _children(group) if r.tag == "tr")
    for group in groups:
        if group.tag == "tfoot":
            yield from (r for r in _children(group) if r.tag == "tr")


def _cells(row: LexborNode) -> list[LexborNode]:
    return [c for c in _children(row) if c.tag in {"td", "th"}]


def _option_value(option: LexborNode) -> str:
    value = option.attributes.get("value")
    return value if value is not None else clean(option.text(deep=True))


def _selected(select: LexborNode) -> list[LexborNode]:
    options = _below(select, "option")
    chosen = [o for o in options if "selected" in o.attributes]
    if "multiple" in select.attributes:
        return chosen
    if chosen:
        return chosen[-1:]
    enabled = [o for o in options if "disabled" not in o.attributes]
    return enabled[:1]


def _disabled(field: LexborNode) -> bool:
    if "disabled" in field.attributes:
        return True
    parent = field.parent
    while parent is not None and parent.is_element_node:
        if parent.tag == "fieldset" and "disabled" in parent.attributes:
            legend = next((c for c in _children(parent) if c.tag == "legend"), None)
            inside_legend = legend is not None and _closest(
                field, lambda e, legend=legend: e.mem_id == legend.mem_id) is not None
            if not inside_legend:
                return True
        parent = parent.parent
    return False


def _newlines(text: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", text)
