"""Reading back a filled form and the site's answer to the human's click, by role and label:
what every platform's prefill checks before it hands the form over, and reads after."""

from __future__ import annotations

import re
from collections.abc import Sequence

from playwright.async_api import Locator, Page

from autofill.flowkit import FormRejected


async def shown_option(select: Locator) -> str:
    """The visible text of a select's chosen option."""
    text: str = await select.evaluate(
        "s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.trim() : ''")
    return text


async def offered_options(select: Locator) -> list[str]:
    """The texts of a select's real options (the empty 'please choose' one left out)."""
    texts: list[str] = await select.evaluate(
        "s => Array.from(s.options).filter(o => o.value !== '').map(o => o.text.trim())")
    return texts


async def chosen_files(file_input: Locator) -> list[str]:
    names: list[str] = await file_input.evaluate("i => Array.from(i.files).map(f => f.name)")
    return names


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


async def verify_filled(
    page: Page,
    page_name: str,
    *,
    selects: Sequence[tuple[str, Locator, str]] = (),
    texts: Sequence[tuple[str, Locator, str]] = (),
    files: Sequence[tuple[str, Locator, Sequence[str]]] = (),
) -> None:
    """What the page now shows must be exactly what was asked for: each (label, field, wanted)
    is read back from the page; any difference and any error the site shows (role=alert) raise
    FormRejected naming the field."""
    problems: list[str] = []
    for label, select, want in selects:
        shown = await shown_option(select)
        if shown != want:
            problems.append(f"{label} shows '{shown}', expected '{want}'")
    for label, field, want in texts:
        typed = await field.input_value()
        if not _same_text(typed, want):
            problems.append(f"{label} differs from the case (the field may have a length limit: "
                            f"{len(typed)} of {len(want)} characters kept)")
    for label, field, names in files:
        attached = await chosen_files(field)
        problems += [f"{label}: {name} not attached" for name in names if name not in attached]
    alerts = [t.strip() for t in await page.get_by_role("alert").all_inner_texts() if t.strip()]
    if problems or alerts:
        raise FormRejected(page_name, problems + alerts)


async def site_answer(
    page: Page, status: Locator, pattern: str
) -> tuple[str | None, list[str]]:
    """After the human's click: the id the site's confirmation (`status`) gives, matched by
    `pattern`'s first group, or the errors it shows instead (each list item of its alerts)."""
    alerts = page.get_by_role("alert")
    await status.or_(alerts).first.wait_for()
    if await status.count():
        found = re.search(pattern, " ".join(await status.all_inner_texts()))
        return (found.group(1) if found else None), []
    items = [t.strip() for t in await alerts.get_by_role("listitem").all_inner_texts()
             if t.strip()]
    return None, items or [t.strip() for t in await alerts.all_inner_texts() if t.strip()]
