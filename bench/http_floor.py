"""The floor: what collecting a Joom store costs with no browser at all.

httpx with the session cookie of the saved storage state, the same pages the scan reads (account,
products needing attention, every product's details, notifications, appeals and the rejected
ones' details), read with Lexbor by tag and attribute (bench/htmltree.py), at most
`--concurrency` requests at once. Prints the collected data (bench/collected.py shape) as JSON
on stdout.

    python bench/http_floor.py --base http://127.0.0.1:8765/joom --state session.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autofill.models import Notice  # noqa: E402
from bench import htmltree as html  # noqa: E402
from bench.collected import Collected, collected, merge_notices  # noqa: E402
from flows.joom import parse  # noqa: E402


def cookies_from(state: dict[str, Any]) -> httpx.Cookies:
    jar = httpx.Cookies()
    for c in state.get("cookies", []):
        jar.set(c["name"], c["value"], domain=c["domain"].lstrip("."), path=c.get("path", "/"))
    return jar


async def collect(base: str, state: dict[str, Any], concurrency: int) -> Collected:
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(cookies=cookies_from(state), timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:

        async def get(url: str) -> html.Node:
            async with gate:
                for _ in range(5):
                    response = await client.get(url)
                    if response.status_code < 500:
                        break
            response.raise_for_status()
            if "/login" in str(response.url):
                raise SystemExit("the saved session is not logged in")
            return html.parse(response.text)

        async def pages(path: str) -> list[html.Node]:
            first = await get(base + path)
            more = await asyncio.gather(*(get(f"{base}{path}{'&' if '?' in path else '?'}page={n}")
                                          for n in range(2, html.page_count(first) + 1)))
            return [first, *more]

        health, profile = await asyncio.gather(get(base + "/account-health"),
                                               get(base + "/settings/profile"))
        parse.account_from(html.terms(health), html.terms(profile))

        rows: dict[str, dict[str, Any]] = {}
        for doc in await pages("/products?status=not_active"):
            for row in html.table_by_caption(doc, "Products"):
                row["links"] = {k: html.absolute(base, v) for k, v in row["links"].items()}
                cells = row["cells"]
                if cells.get("Status") != "Active":
                    rows.setdefault(cells["Product ID"], row)

        async def details(row: dict[str, Any]) -> tuple[Any, Notice | None]:
            doc = await get(row["links"]["Actions"])
            product = html.section(doc, "Product details")
            violation = html.section(doc, "Violation")
            facts = html.terms(product) if product else {}
            broken = html.terms(violation) if violation else {}
            listing = parse.listing_from(row, facts, broken)
            return listing, parse.notice_from_violation(broken, listing.listing_id)

        read = await asyncio.gather(*(details(row) for row in rows.values()))
        listings = [listing for listing, _ in read]

        from_notifications: dict[str, Notice] = {}
        for doc in await pages("/notifications"):
            for article in doc.iter("article"):
                heading = next(article.iter("h2"), None)
                notice = parse.notice_from_notification(heading.text() if heading else "",
                                                        html.terms(article))
                if notice is not None:
                    from_notifications[notice.notice_id] = notice
        notices = merge_notices(from_notifications, [n for _, n in read if n is not None])

        appeal_rows = [row for doc in await pages("/support/appeals")
                       for row in html.table_by_caption(doc, "Appeals")]
        appeals = [parse.appeal_from_row(row) for row in appeal_rows]
        links = {a.appeal_id: row["links"].get("Appeal ID")
                 for a, row in zip(appeals, appeal_rows, strict=True)}

        async def rejection(appeal_id: str) -> tuple[str, str]:
            doc = await get(html.absolute(base, links[appeal_id]))
            main = doc.find("main")
            return appeal_id, parse.text(html.terms(main) if main else {}, "Rejection code")

        codes = dict(await asyncio.gather(*(rejection(a.appeal_id) for a in appeals
                                             if a.status == "rejected" and links[a.appeal_id])))
        appeals = [a.model_copy(update={"rejection_code": codes[a.appeal_id]})
                   if codes.get(a.appeal_id) else a for a in appeals]
        return collected(listings, notices, appeals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the store's base URL (…/joom)")
    parser.add_argument("--state", required=True, type=Path, help="saved storage state (JSON)")
    parser.add_argument("--concurrency", type=int, default=3)
    args = parser.parse_args()
    state = json.loads(args.state.read_text(encoding="utf-8"))
    data = asyncio.run(collect(args.base.rstrip("/"), state, args.concurrency))
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
