"""The Python reader (autofill.htmlread) and the browser's (autofill.dom's READ_HTML, run in
Chromium) read every page the same: every kind of Joom sandbox page a scan reads, with plain and
scrambled markup, and hand-written pages with the edge cases of names, hidden parts, tables and
forms. A scan reads fetched pages in Python; the browser's reader is the reference."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from autofill.browser import LAUNCH_ARGS, find_browser
from autofill.dom import READ_HTML, Part, Reading, Role
from autofill.htmlread import read_html
from flows.joom.pages import (
    AccountHealthPage,
    AppealDetailPage,
    AppealsPage,
    NotificationsPage,
    ProductDetailsPage,
    ProductsPage,
    StoreProfilePage,
)
from tests.conftest import Sandbox

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser().executable
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(executable) if executable else None,
                                      args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def in_the_browser(tab: Page, url: str, html: str, reading: Reading) -> Any:
    return json.loads(tab.evaluate(READ_HTML, {"pages": [[url, html]],
                                               "parts": reading.js()}))[0]


def same_reading(tab: Page, url: str, html: str, reading: Reading) -> Any:
    expected = in_the_browser(tab, url, html, reading)
    assert read_html(html, url, reading) == expected, url
    return expected


def _sandbox_pages(tab: Page, sandbox: Sandbox) -> list[tuple[str, str, Reading]]:
    """(url, html, reading) for every kind of page a Joom scan reads, fetched logged in."""
    base = sandbox.url("/joom")
    tab.goto(f"{base}/login")
    tab.get_by_label("Email").fill("demo@seller.example")
    tab.get_by_label("Password").fill("sandbox-demo")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Log in").click()
    request = tab.context.request

    def get(url: str) -> str:
        response = request.get(url)
        assert response.ok and "/login" not in response.url, url
        return response.text()

    pages = [(f"{base}{AccountHealthPage.path}", AccountHealthPage.reading),
             (f"{base}{StoreProfilePage.path}", StoreProfilePage.reading),
             (f"{base}{ProductsPage.path}", ProductsPage.filter_reading),
             (f"{base}{NotificationsPage.path}", NotificationsPage.reading),
             (f"{base}{NotificationsPage.path}?page=2", NotificationsPage.reading),
             (f"{base}{AppealsPage.path}", AppealsPage.reading)]
    fetched = [(url, get(url), reading) for url, reading in pages]
    choices = in_the_browser(tab, fetched[2][0], fetched[2][1], ProductsPage.filter_reading)
    filtered = choices["filter"]["Needs attention"]
    products = (filtered, get(filtered), ProductsPage.reading)
    rows = in_the_browser(tab, *products)["rows"]
    details = [(r["links"]["Actions"], get(r["links"]["Actions"]), ProductDetailsPage.reading)
               for r in rows[:12]]
    appeals = in_the_browser(tab, *fetched[5])["rows"]
    appeal_pages = [(r["links"]["Appeal ID"], get(r["links"]["Appeal ID"]),
                     AppealDetailPage.reading) for r in appeals[:6]]
    return [*fetched, products, *details, *appeal_pages]


@pytest.mark.parametrize("scrambled", [False, True], ids=["plain", "scrambled"])
def test_every_joom_page_a_scan_reads_reads_the_same_in_python(
        tab: Page, clean_sandbox: Sandbox, scrambled: bool) -> None:
    clean_sandbox.faults(scramble=scrambled)
    pages = _sandbox_pages(tab, clean_sandbox)
    kinds = {reading.page for _, _, reading in pages}
    assert len(kinds) == 7, kinds
    for url, html, reading in pages:
        read = same_reading(tab, url, html, reading)
        assert read[reading.key] not in (None, [], {}), f"{url}: nothing read"


EDGES = """<!doctype html><html><head><title>Edges</title></head><body>
<nav aria-label="Main"><a href="/joom/">Home</a> <a href="caf\u00e9 menu?q=a b#top">Caf\u00e9</a>
  <a href="https://Other.Example:443/x">Other</a></nav>
<main>
<h1>Edges</h1><h2 aria-level="3">Level three</h2><div role="heading" aria-level="2">Div two</div>
<span id="n1">Shipping</span><span id="n2"> rules </span>
<section aria-labelledby="n1 n2 missing"><dl>
  <dt>Plain</dt><dd>one&nbsp;&nbsp;two\u3000three</dd>
  <dt>Skipped to</dt><span>between</span><dd>a <a href="../x/y">link</a>
    <ul><li>first</li><li> second <b>bold</b></li></ul></dd>
  <dt>Menu</dt><dd><a href="caf\u00e9 menu?q=a b&amp;r=\u00e9#top">Caf\u00e9</a></dd>
  <dt>Away</dt><dd><a href="https://Other.Example:443/x/./y/../z">o</a></dd>
  <dt>Quoted</dt><dd><a href="/a/{b}`'c'/?d='e'&lt;#f g">q</a></dd>
  <dt>Last</dt>
</dl></section>
<section>no name, no region</section>
<section aria-label="Hidden" hidden><dl><dt>H</dt><dd>h</dd></dl></section>
<div style="display: none"><section aria-label="Styled away"><dl><dt>S</dt><dd>s</dd></dl>
</section></div>
<template><section aria-label="In a template"><dl><dt>T</dt><dd>t</dd></dl></section></template>
<table><caption> Orders <!-- a comment --></caption>
  <thead><tr><th>ID</th><th></th><th>Note</th></tr></thead>
  <tbody><tr><td><a href="/o/1">1</a></td><td>x</td><td>a<script>var s = 1;</script></td></tr>
         <tr><td>2</td><td>y</td></tr></tbody>
  <tfoot><tr><td>total</td></tr></tfoot></table>
<table aria-label="No head group"><tr><td>K</td><td>V</td></tr><tr><td>k</td><td>v</td></tr>
</table>
<label for="q">Search products</label><input id="q" name="q" value="lamp">
<label>Wrapped <textarea name="t">x</textarea></label>
<div role="button">Div button</div><input type="submit" value="Go now">
<form method="get" action="/joom/products?old=1#frag" aria-label="Filter">
  <input type="hidden" name="view" value="list">
  <input type="checkbox" name="c" checked><input type="checkbox" name="u" value="no">
  <input name="text" value="a b+c~d*e&amp;">
  <input name="off" value="z" disabled>
  <fieldset disabled><input name="in_fieldset" value="1"></fieldset>
  <select name="other"><option value="p">P</option><option value="q" selected>Q</option></select>
  <select aria-label="Status" name="status">
    <option value="">All</option><option value="not_active" label="Needs attention">n</option>
    <optgroup label="More"><option>Blocked  now</option></optgroup>
  </select>
  <button name="go" value="1">Apply</button><button name="later">Later</button>
</form>
<form method="post" aria-label="Posted"><select aria-label="Sort"><option>A</option></select>
</form>
<select aria-label="Orphan"><option>o</option></select>
</main></body></html>"""

EDGE_READING = Reading("Edges", {
    "nav": Part(Role("link"), "text", each=True, within=Role("navigation", "Main")),
    "headings": Part(Role("heading"), "text", each=True),
    "level3": Part(Role("heading", level=3), "text"),
    "level2": Part(Role("heading", level=2), "text", each=True),
    "shipping": Part(Role("region", "shipping rules", exact=False)),
    "exact": Part(Role("region", "Shipping rules", exact=True), "exists"),
    "regions": Part(Role("region"), "text", each=True),
    "hidden": Part(Role("region", "Hidden"), "exists"),
    "styled": Part(Role("region", "Styled away"), "exists"),
    "template": Part(Role("region", "In a template"), "exists"),
    "orders": Part(Role("table", "orders"), "table"),
    "tables": Part(Role("table"), "table", each=True),
    "textboxes": Part(Role("textbox"), "text", each=True),
    "search": Part(Role("textbox", "Search products"), "exists"),
    "wrapped": Part(Role("textbox", "Wrapped"), "exists"),
    "buttons": Part(Role("button"), "text", each=True),
    "go": Part(Role("button", "Go now", exact=True), "exists"),
    "status": Part(Role("combobox", "Status"), "choices"),
    "sort": Part(Role("combobox", "Sort"), "choices"),
    "orphan": Part(Role("combobox", "Orphan"), "choices"),
    "forms": Part(Role("form"), "exists", each=True),
    "cells": Part(Role("cell"), "text", each=True),
    "missing": Part(Role("article"), "terms"),
}, key="shipping")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/joom/help/edges",
                                 "http://127.0.0.1:8765/joom/help/"])
def test_edge_cases_read_the_same_in_python(tab: Page, url: str) -> None:
    read = same_reading(tab, url, EDGES, EDGE_READING)
    assert read["hidden"] is None and read["styled"] is None and read["template"] is None
    assert read["status"] is not None and read["sort"] is None and read["orphan"] is None
    assert len(read["tables"]) == 2


def test_a_base_element_and_no_html_at_all_read_the_same(tab: Page) -> None:
    html = ('<head><base href="/joom/sub/"></head><a href="x?y=1">x</a>'
            '<table><tr><td>only</td></tr></table>')
    reading = Reading("Bare", {"links": Part(Role("link"), "text", each=True),
                               "table": Part(Role("table"), "table"),
                               "where": Part(Role("navigation"), "terms")}, key="links")
    same_reading(tab, "http://127.0.0.1:8765/joom/a/b", html, reading)
    same_reading(tab, "http://127.0.0.1:8765/joom/a/b", "", reading)
