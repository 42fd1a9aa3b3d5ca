"""Read structured HTML by its semantics (table headers, term/definition pairs), not its styling.

One evaluate call per structure: fast, and indifferent to renamed classes or reordered groups.
Everything read is plain text (textContent), never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Locator

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
    out[clean(dt.textContent)] = {text: clean(dd.textContent), items, href: link ? link.href : null};
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
