"""Joom prefill: reach the Appeal form as a person would, fill it, verify it. Never submit."""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.async_api import Page

from autofill.flowkit import FilledForm, FormRejected, PrefillJob, changed, navigate_by
from flows.joom import parse
from flows.joom.contract import verify_form, verify_supplement_form
from flows.joom.pages import (
    AppealDetailPage,
    AppealFormPage,
    AppealsPage,
    ProductDetailsPage,
    ProductsPage,
)


async def prefill(job: PrefillJob) -> FilledForm:
    page = job.page or await job.tab()
    if job.mode == "supplement":
        return await _supplement(job, page)
    products = ProductsPage(page)
    await job.open(page, job.url(products.path), page_name=products.title)
    listing_url = job.listing_url or job.url(f"/products/{job.case.listing_ids[0]}")
    details = ProductDetailsPage(page)
    await job.open(page, listing_url, page_name=details.title)
    if await details.appeal.count() == 0:
        raise changed(details.title, "find the Appeal button",
                      "an Appeal button (the notice may be final, or already resolved)")
    form = AppealFormPage(page)
    await navigate_by(job, page, details.appeal.first.click, page_name=form.title, step="open")
    await form.form.wait_for()
    await verify_form(form)  # stops here, typing nothing, if the form is not the one we know
    await form.appeal_type.select_option(label=job.case.appeal_type)
    await form.statement.fill(job.case.statement)
    await form.files.set_input_files([str(p) for p in job.files])
    await _verify(page, form.title, form.appeal_type, form.statement, form.files,
                  job.case.appeal_type, job.case.statement, [p.name for p in job.files])
    return FilledForm(
        page=page,
        submit=form.submit,
        action_url=urljoin(page.url, await form.form.get_attribute("action") or page.url),
        statement_field="statement",
        file_field="evidence",
        read_outcome=_outcome,
        summary={"appeal type": job.case.appeal_type, "files": str(len(job.files))},
    )


async def _supplement(job: PrefillJob, page: Page) -> FilledForm:
    appeals = AppealsPage(page)
    await job.open(page, job.url(appeals.path), page_name=appeals.title)
    link = appeals.table.get_by_role("link", name=job.appeal_id or "", exact=True)
    if await link.count() == 0:
        await job.open(page, job.url(f"{appeals.path}/{job.appeal_id}"), page_name=appeals.title)
    else:
        await navigate_by(job, page, link.click, page_name=AppealDetailPage.title, step="open")
    detail = AppealDetailPage(page)
    if await detail.form.count() == 0:
        raise changed(detail.title, "find the additional-information form",
                      f"a 'Provide additional information' form on appeal {job.appeal_id}")
    facts = await detail.facts()
    await verify_supplement_form(detail)
    await detail.text.fill(job.case.statement)
    await detail.files.set_input_files([str(p) for p in job.files])
    await _verify(page, detail.title, None, detail.text, detail.files, None, job.case.statement,
                  [p.name for p in job.files])
    return FilledForm(
        page=page,
        submit=detail.send,
        action_url=urljoin(page.url, await detail.form.get_attribute("action") or page.url),
        statement_field="additional_information",
        file_field="additional_evidence",
        read_outcome=_outcome,
        summary={"appeal": job.appeal_id or "", "files": str(len(job.files))},
        deadline=parse.text(facts, "Respond by") or None,
    )


async def _verify(page: Page, title: str, type_select: object, statement: object, files: object,
                  want_type: str | None, want_statement: str, want_files: list[str]) -> None:
    """What the page now shows must be exactly what the case says; site errors are reported."""
    problems: list[str] = []
    if want_type is not None:
        shown = await type_select.evaluate(  # type: ignore[attr-defined]
            "s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.trim() : ''")
        if shown != want_type:
            problems.append(f"appeal type shows '{shown}', expected '{want_type}'")
    typed = await statement.input_value()  # type: ignore[attr-defined]
    if typed.replace("\r\n", "\n") != want_statement.replace("\r\n", "\n"):
        problems.append("the statement on the page differs from case.yaml (the field may have a "
                        f"length limit: {len(typed)} of {len(want_statement)} characters kept)")
    chosen = await files.evaluate(  # type: ignore[attr-defined]
        "i => Array.from(i.files).map(f => f.name)")
    for name in want_files:
        if name not in chosen:
            problems.append(f"{name}: not attached")
    alerts = [t.strip() for t in await page.get_by_role("alert").all_inner_texts() if t.strip()]
    if alerts or problems:
        raise FormRejected(title, problems + alerts)


async def _outcome(page: Page) -> tuple[str | None, list[str]]:
    """After the human's click: the appeal ID the site gives, or the errors it shows."""
    status = page.get_by_role("status")
    alerts = page.get_by_role("alert")
    await status.or_(alerts).first.wait_for()
    if await status.count():
        text = " ".join(await status.all_inner_texts())
        import re  # noqa: PLC0415

        found = re.search(r"\b(APL-\d+)\b", text)
        if found:
            return found.group(1), []
        heading = await page.get_by_role("heading", level=1).first.inner_text()
        found = re.search(r"\b(APL-\d+)\b", heading)
        return (found.group(1) if found else None), []
    return None, [t.strip() for t in await alerts.all_inner_texts() if t.strip()]
