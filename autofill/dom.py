"""Read structured HTML by its semantics (table headers, term/definition pairs), not its styling.

One evaluate call per structure: fast, and indifferent to renamed classes or reordered groups.
Everything read is plain text (textContent), never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

_READ_TABLE = """
(table) => {
  const clean = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const head = table.tHead ? table.tHead.rows[0] : table.rows[0];
  const names = Array.from(head.cells).map((c) => clean(c.textContent));
  const bodies = table.tBodies.length ? Array.from(table.tBodies) : [table];
  const rows = [];
  for (const body of bodies) {
    for (const row of Array.from(body.rows)) {
      if (row === head) continue;
      const cells = {};
      const links = {};
      Array.from(row.cells).forEach((cell, i) => {
        const name = names[i] || String(i);
        cells[name] = clean(cell.textContent);
        const a = cell.querySelector("a[href]");
        if (a) links[name] = a.href;
      });
      rows.push({cells, links});
    }
  }
  return rows;
}
"""

_READ_TERMS = """
(root) => {
  const clean = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const out = {};
  for (const dt of Array.from(root.querySelectorAll("dt"))) {
    let dd = dt.nextElementSibling;
    while (dd && dd.tagName !== "DD") dd = dd.nextElementSibling;
    if (!dd) continue;
    const items = Array.from(dd.querySelectorAll("li")).map((li) => clean(li.textContent));
    const link = dd.querySelector("a[href]");
    const href = link ? link.href : null;
    out[clean(dt.textContent)] = {text: clean(dd.textContent), items, href};
  }
  return out;
}
"""


async def read_table(table: Locator) -> list[dict[str, Any]]:
    """Rows as {"cells": {header: text}, "links": {header: absolute href}}."""
    rows: list[dict[str, Any]] = await table.evaluate(_READ_TABLE)
    return rows


async def read_terms(container: Locator) -> dict[str, dict[str, Any]]:
    """`<dt>` name -> {"text", "items" (list entries inside the dd), "href"} under `container`."""
    terms: dict[str, dict[str, Any]] = await container.evaluate(_READ_TERMS)
    return terms


async def read_terms_all(containers: Locator) -> list[dict[str, dict[str, Any]]]:
    """`read_terms` for every element matched (e.g. every notification article), in one call."""
    found: list[dict[str, dict[str, Any]]] = await containers.evaluate_all(
        f"(els) => els.map({_READ_TERMS})"
    )
    return found


# --- Reading a whole page in one call ---------------------------------------------------------
# The same semantic readers, applied to a document as a person's assistive technology sees it:
# elements found by role and accessible name, never by class or id. Used on a document fetched
# in the page and parsed by DOMParser (no navigation, no rendering, no subresources, no scripts
# run) and on the live document of a tab, so both paths read identically.

# terms: read_terms; table: read_table; text: its text; exists: True; choices: for a select,
# {option label: the URL its form's GET submission goes to with that option chosen} (None when
# the form is not a plain GET form: choose it the way a person does instead)
PartRead = Literal["terms", "table", "text", "exists", "choices"]


@dataclass(frozen=True)
class Role:
    """An element as `get_by_role` finds it: role, accessible name (substring, any case, unless
    `exact`), heading level."""

    role: str
    name: str | None = None
    exact: bool = False
    level: int | None = None

    def within(self, root: Page | Locator) -> Locator:
        options: dict[str, Any] = {}
        if self.name is not None:
            options.update(name=self.name, exact=self.exact)
        if self.level is not None:
            options["level"] = self.level
        return root.get_by_role(self.role, **options)  # type: ignore[arg-type]

    def js(self) -> dict[str, Any]:
        return {"role": self.role, "name": self.name, "exact": self.exact, "level": self.level}


@dataclass(frozen=True)
class Part:
    """One thing read from a page: the first element with `role` (every one with `each`), inside
    the elements with `within` when given, read as terms, a table, its text, or whether it is
    there. An absent part reads as None (an empty list with `each`)."""

    role: Role
    read: PartRead = "terms"
    each: bool = False
    within: Role | None = None

    def locate(self, page: Page) -> Locator:
        root: Page | Locator = self.within.within(page) if self.within else page
        return self.role.within(root)

    def js(self) -> dict[str, Any]:
        return {"role": self.role.js(), "read": self.read, "each": self.each,
                "within": self.within.js() if self.within else None}


@dataclass(frozen=True)
class Reading:
    """What a kind of page gives: named parts; `key` is the part that shows the page is the one
    expected (its absence from a fetched document means: open the page the ordinary way)."""

    page: str
    parts: Mapping[str, Part]
    key: str

    def js(self) -> dict[str, Any]:
        return {name: part.js() for name, part in self.parts.items()}


_ROLE_ENGINE = """
const ROLE_TAGS = {
  article: "article", banner: "header",
  button: "button, input[type=submit], input[type=button], input[type=reset]", form: "form",
  heading: "h1, h2, h3, h4, h5, h6", link: "a[href], area[href]", list: "ul, ol",
  listitem: "li", main: "main", navigation: "nav", region: "section", search: "search",
  table: "table", textbox: "textarea, input:not([type]), input[type=text], input[type=email]",
  combobox: "select:not([multiple])", listbox: "select[multiple]",
};
const NAMED_ONLY = new Set(["region", "form"]);  // <section>, <form>: a role only with a name
const FROM_CONTENT = new Set(["button", "link", "heading", "listitem", "cell", "tab", "option"]);
const clean = (s) => (s || "").replace(/\\s+/g, " ").trim();
const HIDDEN = "[hidden], [aria-hidden=true], template, [style*='display:none'], "
  + "[style*='display: none']";  // no styles in a parsed document: what its markup says
const hidden = (el) => !!el.closest(HIDDEN) || (!!el.ownerDocument.defaultView  // a live page
  && el.getClientRects().length === 0 && getComputedStyle(el).display !== "contents");
const accName = (el) => {
  const doc = el.ownerDocument;
  const by = el.getAttribute("aria-labelledby");
  if (by) {
    const text = by.split(/\\s+/).map((id) => doc.getElementById(id)).filter(Boolean)
      .map((e) => clean(e.textContent)).join(" ");
    if (text) return clean(text);
  }
  const label = clean(el.getAttribute("aria-label"));
  if (label) return label;
  if (el.tagName === "TABLE" && el.caption) return clean(el.caption.textContent);
  if (el.tagName === "INPUT") return clean(el.value || el.getAttribute("value"));
  if (el.id) {
    const lab = doc.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    if (lab) return clean(lab.textContent);
  }
  const wrapping = el.closest("label");
  if (wrapping) return clean(wrapping.textContent);
  const role = el.getAttribute("role") || "";
  const tag = el.tagName.toLowerCase();
  if (FROM_CONTENT.has(role) || /^(button|a|h[1-6]|li|td|th|option|summary)$/.test(tag)) {
    return clean(el.textContent);
  }
  return "";
};
const levelOf = (el) => {
  const given = parseInt(el.getAttribute("aria-level") || "", 10);
  if (given) return given;
  const m = /^H([1-6])$/.exec(el.tagName);
  return m ? parseInt(m[1], 10) : 0;
};
const byRole = (root, want) => {
  const tags = ROLE_TAGS[want.role];
  const selector = `[role~="${want.role}"]` + (tags ? `, ${tags}` : "");
  const needle = want.name == null ? null : clean(want.name);
  const out = [];
  for (const el of Array.from(root.querySelectorAll(selector))) {
    const role = el.getAttribute("role");
    if (role && role.split(/\\s+/)[0] !== want.role) continue;
    if (hidden(el)) continue;
    const name = accName(el);
    if (!role && NAMED_ONLY.has(want.role) && !name) continue;
    if (want.level && levelOf(el) !== want.level) continue;
    if (needle !== null) {
      const same = want.exact ? name === needle
        : name.toLowerCase().includes(needle.toLowerCase());
      if (!same) continue;
    }
    out.push(el);
  }
  return out;
};
"""

_READ_PARTS = f"""
(doc, parts) => {{
  {_ROLE_ENGINE}
  const readTerms = {_READ_TERMS.strip()};
  const readTable = {_READ_TABLE.strip()};
  const choices = (select) => {{
    const form = select.form;
    if (!form || (form.getAttribute("method") || "get").toLowerCase() !== "get") return null;
    const submitter = form.querySelector("button[type=submit], button:not([type]), "
      + "input[type=submit]");
    const was = select.value;
    const out = {{}};
    for (const option of Array.from(select.options)) {{
      select.value = option.value;
      const url = new URL(form.getAttribute("action") || "", select.ownerDocument.baseURI);
      url.search = new URLSearchParams(formData(form, submitter)).toString();
      url.hash = "";
      out[clean(option.label || option.textContent)] = url.href;
    }}
    select.value = was;  // on a live page, leave the form as it was
    return out;
  }};
  const formData = (form, submitter) => {{
    try {{
      return new FormData(form, submitter || undefined);
    }} catch {{  // a submitter the browser does not count as the form's
      return new FormData(form);
    }}
  }};
  const readers = {{
    terms: readTerms, table: readTable, text: (el) => clean(el.textContent), exists: () => true,
    choices,
  }};
  const out = {{}};
  for (const [key, part] of Object.entries(parts)) {{
    const roots = part.within ? byRole(doc, part.within) : [doc];
    const found = roots.flatMap((root) => byRole(root, part.role));
    const read = readers[part.read];
    out[key] = part.each ? found.map(read) : (found.length ? read(found[0]) : null);
  }}
  return out;
}}
"""

# A page's HTML parsed by DOMParser: a document of its own where no script runs and nothing
# loads; links resolve against the page's own URL, as they read on the page itself.
_PARSE = """
(html, url) => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (!doc.querySelector("base[href]")) {
    const base = doc.createElement("base");
    base.href = url;
    doc.head.prepend(base);
  }
  return doc;
}
"""

# Read `parts` from pages given as [url, html] pairs: a list of parts, as JSON text (one
# string crosses the protocol far cheaper than the same data as nested values).
READ_HTML = f"""
({{pages, parts}}) => {{
  const readParts = {_READ_PARTS.strip()};
  const parse = {_PARSE.strip()};
  return JSON.stringify(pages.map(([url, html]) => readParts(parse(html, url), parts)));
}}
"""

# Fetch `urls` from inside a page (its cookies, its context's routes) and read `parts` from
# each: a list of {status, redirect?, error?, parts}, as JSON text. A redirect is not followed
# (routes do not see redirects): the page is then opened instead.
FETCH_AND_READ = f"""
async ({{urls, parts, limit}}) => {{
  const readParts = {_READ_PARTS.strip()};
  const parse = {_PARSE.strip()};
  const one = async (url) => {{
    let response;
    try {{
      response = await fetch(url, {{credentials: "same-origin", cache: "no-store",
                                    redirect: "manual", headers: {{accept: "text/html"}}}});
    }} catch (err) {{
      return {{status: 0, error: String(err), parts: null}};
    }}
    if (response.type === "opaqueredirect") return {{status: 302, redirect: true, parts: null}};
    const result = {{status: response.status, parts: null}};
    if (response.status >= 400) return result;
    const type = response.headers.get("content-type") || "";
    if (!type.includes("html")) {{ result.error = `not a page (${{type}})`; return result; }}
    result.parts = readParts(parse(await response.text(), response.url), parts);
    return result;
  }};
  // at most `limit` requests in flight: the politeness limit holds inside the page too
  const results = new Array(urls.length);
  let next = 0;
  const worker = async () => {{
    while (next < urls.length) {{
      const i = next++;
      results[i] = await one(urls[i]);
    }}
  }};
  await Promise.all(Array.from({{length: Math.max(1, Math.min(limit, urls.length))}}, worker));
  return JSON.stringify(results);
}}
"""

# Read `parts` from the live document of a tab, as JSON text.
READ_LIVE = f"(parts) => JSON.stringify(({_READ_PARTS.strip()})(document, parts))"
