"""Watch what the human's click sends, from inside the page.

Chromium does not expose file bytes of a multipart upload to the automation protocol, so the
request alone cannot prove which files went out. The watcher hashes every file the moment it is
chosen (SHA-256 in the page), and on submit reports the form's fields and files; the core pairs
that report with the POST request it sees leave the page. Nothing here submits anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from autofill.submission import SKIP_FIELDS, Sent, SentFile

if TYPE_CHECKING:
    from playwright.async_api import Page

BINDING = "__autofillFormSent"

WATCHER = """
(() => {
  if (window.__autofillWatching) return;
  window.__autofillWatching = true;
  const hashes = {};
  const key = (f) => `${f.name}|${f.size}|${f.lastModified}`;
  const hex = (buf) => Array.from(new Uint8Array(buf))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  document.addEventListener("change", async (event) => {
    const el = event.target;
    if (!(el instanceof HTMLInputElement) || el.type !== "file") return;
    for (const file of Array.from(el.files || [])) {
      if (!(key(file) in hashes)) {
        hashes[key(file)] = null;
        hashes[key(file)] = hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
      }
    }
  }, true);
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if ((form.method || "get").toLowerCase() !== "post") return;  // filters and searches
    const fields = {};
    const files = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (value instanceof File) {
        if (value.name || value.size) {
          files.push({name: value.name, size: value.size, sha256: hashes[key(value)] || null});
        }
      } else {
        fields[name] = String(value);
      }
    }
    window.BINDING(JSON.stringify({action: form.action, fields, files}));
  }, true);
})();
""".replace("BINDING", BINDING)


async def watch(page: Page, on_sent: Callable[[dict[str, Any]], None]) -> None:
    """Install the watcher on this page and every document it loads from now on."""

    def report(_source: Any, payload: str) -> None:
        on_sent(json.loads(payload))

    await page.expose_binding(BINDING, report)
    await page.add_init_script(WATCHER)
    await page.evaluate(WATCHER)


def sent_from(report: dict[str, Any], local_hashes: dict[tuple[str, int], str]) -> Sent:
    """The watcher's report as a Sent; a file still being hashed at the click is matched to the
    bundle's file of the same name and size (the only way it could be that file)."""
    files = []
    for item in report.get("files", []):
        digest = item.get("sha256") or local_hashes.get((item["name"], int(item["size"])), "")
        files.append(SentFile(item["name"], int(item["size"]), digest))
    fields = {
        k: v.replace("\r\n", "\n")
        for k, v in report.get("fields", {}).items()
        if k not in SKIP_FIELDS
    }
    return Sent(fields=fields, files=files)
