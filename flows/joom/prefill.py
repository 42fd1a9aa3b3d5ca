"""Joom prefill: reach the Appeal form as a person would, fill it, verify it. Never submit."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from playwright.async_api import Page

from autofill.flowkit import FilledForm, PrefillJob, changed, navigate_by
from autofill.forms import site_answer, verify_filled
from flows.joom import parse
from flows.joom.contract import verify_form, verify_supplement_form
from flows.joom.pages import (
    AppealDetailPage,
    AppealFormPage,
    AppealsPage,
    ProductDetailsPage,
    ProductsPage,
)

APPEAL_ID = r"\b(APL-\d+)\b"


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
    await verify_filled(page, form.title,
                        selects=[("appeal type", form.appeal_type, job.case.appeal_type)],
                        texts=[("the statement", form.statement, job.case.statement)],
                        files=[("evidence", form.files, [p.name for p in job.files])])
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
    await verify_filled(page, detail.title,
                        texts=[("the additional information", detail.text, job.case.statement)],
                        files=[("evidence", detail.files, [p.name for p in job.files])])
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


async def _outcome(page: Page) -> tuple[str | None, list[str]]:
    """After the human's click: the appeal ID the site gives (in its status line, else its
    heading), or the errors it shows."""
    appeal_id, errors = await site_answer(page, page.get_by_role("status"), APPEAL_ID)
    if appeal_id or errors:
        return appeal_id, errors
    heading = await page.get_by_role("heading", level=1).first.inner_text()
    found = re.search(APPEAL_ID, heading)
    return (found.group(1) if found else None), []
