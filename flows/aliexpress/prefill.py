"""AliExpress prefill: reach the form as a person would, compare it with its contract, fill it and
read it back. Never submit: the human clicks, the core records what that click sent.

- appeal: 账户表现 > 处罚记录 -> the record -> 申请申诉 (申诉理由, 申诉说明, 证据材料)
- supplement: 违规管理 > 我的申诉 -> the appeal -> 补充材料 (one per appeal)
- report: 违规管理 > 举报中心 -> 发起举报 (举报类型, target, 订单号, 举报说明, files)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.async_api import Locator, Page, expect

from autofill.errors import BadInput
from autofill.flowkit import FilledForm, FormRejected, PrefillJob, expecting, navigate_by
from autofill.forms import offered_options, site_answer, verify_filled
from flows.aliexpress import parse
from flows.aliexpress.contract import verify_form
from flows.aliexpress.labels import NO_APPEAL_BECAUSE, REPORT_TYPES
from flows.aliexpress.pages import (
    AppealDetailPage,
    AppealFormPage,
    AppealsPage,
    RecordsPage,
    ReportCenterPage,
    ReportFormPage,
)

VIDEO_SUFFIXES = (".mp4",)


async def prefill(job: PrefillJob) -> FilledForm:
    modes = {"appeal": _appeal, "supplement": _supplement, "report": _report}
    fill = modes.get(job.mode)
    if fill is None:
        raise BadInput(f"prefill mode '{job.mode}': the AliExpress flow fills "
                       f"{', '.join(modes)} forms.")
    page = job.page or await job.tab()  # the core's tab: it watches the click
    return await fill(job, page)


# --- 申请申诉 -----------------------------------------------------------------------------------


async def _appeal(job: PrefillJob, page: Page) -> FilledForm:
    record_id = _case_text(job.case, "notice_id")
    reason = _case_text(job.case, "appeal_type", "appeal_reason", "reason")
    statement = _statement(job.case)
    records = RecordsPage(page)
    await job.open(page, job.url(records.path), page_name=records.title)
    async with expecting(records.title, f"look up 处罚编号 {record_id}",
                         "a 处罚编号 search field, a 查询 button and the 处罚记录 table"):
        await navigate_by(job, page, lambda: records.find(record_id), page_name=records.title,
                          step=f"look up 处罚编号 {record_id}")
        rows = await records.rows()
    row = next((r for r in rows if parse.record_id(r) == record_id), None)
    if row is None:
        raise BadInput(
            f"处罚记录 has no record {record_id} (notice_id in case.yaml).",
            "Check the 处罚编号 against `autofill scan` (or the seller backend) and fix case.yaml.",
        )
    link = records.appeal_link(record_id)
    if await link.count() == 0:
        raise _not_appealable(record_id, row)
    form = AppealFormPage(page)
    await navigate_by(job, page, link.first.click, page_name=form.title, step="open 申请申诉")
    await _form_or_refusal(page, form.form, form.title, f"处罚记录 {record_id}")
    await verify_form("appeal", form.form, form.title)  # nothing typed if the form changed
    await _offered(form.reason, reason, "申诉理由", "appeal_type", f"处罚记录 {record_id}")
    names = [p.name for p in job.files]
    await form.reason.select_option(label=reason)
    await form.statement.fill(statement)
    await form.files.set_input_files(list(job.files))
    await _listed(form.selected_files, form.title, names)
    await verify_filled(page, form.title, selects=[("申诉理由", form.reason, reason)],
                        texts=[("申诉说明", form.statement, statement)],
                        files=[("证据材料", form.files, names)])
    facts = await form.facts()
    return FilledForm(
        page=page,
        submit=form.submit,
        action_url=await _action(page, form.form),
        statement_field=await _field_name(form.statement),
        file_field=await _field_name(form.files),
        read_outcome=_appeal_outcome,
        summary={"record": record_id, "appeal reason": reason, "files": str(len(names))},
        deadline=parse.iso_utc(parse.beijing(parse.text(facts, "申诉截止"))),
    )


def _not_appealable(record_id: str, row: parse.Row) -> BadInput:
    """The record has no 申请申诉: say what the site shows instead, and what that means."""
    cells = row["cells"]
    shown = cells.get("操作", "").replace("查看详情", "").strip() or "no 申请申诉 link"
    why = next((text for word, text in NO_APPEAL_BECAUSE.items() if word in shown),
               "the site offers no 申请申诉 for it")
    return BadInput(
        f"处罚记录 {record_id} cannot be appealed: {why}. The record shows '{shown}' "
        f"(送达时间 {cells.get('送达时间', '?')}, 申诉截止 {cells.get('申诉截止', '—')}). "
        "Nothing was typed.",
        "Nothing to prefill for this record; `autofill scan` shows its state.",
    )


async def _appeal_outcome(page: Page) -> tuple[str | None, list[str]]:
    """After the human's click: the 申诉编号 the site gives, or the errors it shows."""
    status = page.get_by_role("status").filter(has_text=re.compile(parse.APPEAL_ID_PATTERN))
    return await site_answer(page, status, parse.APPEAL_ID_PATTERN)


# --- 补充材料 -----------------------------------------------------------------------------------


async def _supplement(job: PrefillJob, page: Page) -> FilledForm:
    appeal_id = job.appeal_id or _case_text(job.case, "appeal_id")
    if not appeal_id:
        raise BadInput("A supplement needs the appeal it answers (its 申诉编号, e.g. AP12345678).")
    statement = _statement(job.case)
    appeals = AppealsPage(page)
    await job.open(page, job.url(appeals.path), page_name=appeals.title)
    detail = AppealDetailPage(page)
    link = appeals.appeal_link(appeal_id)
    if await link.count():
        await navigate_by(job, page, link.first.click, page_name=detail.title, step="open")
    else:  # older than the list's first page: open it as its own link would
        await job.open(page, job.url(f"{detail.path}?appealId={appeal_id}"),
                       page_name=f"{detail.title} {appeal_id}")
    async with expecting(detail.title, "read the appeal", "the 申诉详情 heading"):
        facts = await detail.facts()
    if await detail.form.count() == 0:
        raise _no_supplement(appeal_id, facts)
    await verify_form("supplement", detail.form, detail.title)
    names = [p.name for p in job.files]
    await detail.statement.fill(statement)
    await detail.files.set_input_files(list(job.files))
    await _listed(detail.selected_files, detail.title, names)
    await verify_filled(page, detail.title, texts=[("补充说明", detail.statement, statement)],
                        files=[("补充证据", detail.files, names)])

    async def outcome(answer: Page) -> tuple[str | None, list[str]]:
        done = answer.get_by_role("status").filter(has_text="补充材料已提交")
        confirmed, errors = await site_answer(answer, done, r"(补充材料已提交)")
        return (appeal_id if confirmed else None), errors

    return FilledForm(
        page=page,
        submit=detail.submit,
        action_url=await _action(page, detail.form),
        statement_field=await _field_name(detail.statement),
        file_field=await _field_name(detail.files),
        read_outcome=outcome,
        summary={"appeal": appeal_id, "files": str(len(names))},
        deadline=parse.iso_utc(parse.beijing(parse.text(facts, "补充截止"))),
    )


def _no_supplement(appeal_id: str, facts: parse.Terms) -> BadInput:
    used = parse.integer(parse.text(facts, "补充材料")) or 0
    status = parse.text(facts, "申诉状态") or "?"
    if used >= 1:
        why = ("each appeal takes one supplement only (每次申诉仅可提交1次补充材料), and this "
               f"one was already sent (补充材料: {parse.text(facts, '补充材料')})")
    else:
        why = (f"it does not ask for more material (申诉状态: {status}), "
               "so there is no 补充材料 form")
    return BadInput(f"申诉 {appeal_id}: {why}. Nothing was typed.",
                    "`autofill appeals` shows where the appeal stands.")


# --- 发起举报 -----------------------------------------------------------------------------------


async def _report(job: PrefillJob, page: Page) -> FilledForm:
    case = job.case
    wanted = _case_text(case, "report_type")
    report_type = REPORT_TYPES.get(wanted)
    if report_type is None:
        raise BadInput(f"report_type '{wanted}': expected one of 盗图, 售假, 刷单 "
                       "(or image_theft, counterfeit, fake_orders).")
    store, link = _target(case)
    if not (store or link):
        raise BadInput("A report needs its target: the reported store (被举报店铺) or the product "
                       "link (商品链接), as `target` in the case.")
    orders = _order_numbers(case)
    statement = _statement(case)
    images, videos, chats = _report_files(case, job.files)
    center = ReportCenterPage(page)
    await job.open(page, job.url(center.path), page_name=center.title)
    form = ReportFormPage(page)
    async with expecting(center.title, "start a report", "a 发起举报 link"):
        await navigate_by(job, page, center.new_report.first.click, page_name=form.title,
                          step="open 发起举报")
    await _form_or_refusal(page, form.form, form.title, "举报")
    await verify_form("report", form.form, form.title)
    await _offered(form.report_type, report_type, "举报类型", "report_type", "举报")
    await form.report_type.select_option(label=report_type)
    await form.target_store.fill(store)
    await form.product_link.fill(link)
    await form.order_numbers.fill(orders)
    await form.statement.fill(statement)
    chosen = ((form.images, images), (form.videos, videos), (form.chats, chats))
    for field, files in chosen:
        if files:
            await field.set_input_files(list(files))
    await _listed(form.selected_files, form.title, [p.name for _, fs in chosen for p in fs])
    await verify_filled(
        page, form.title,
        selects=[("举报类型", form.report_type, report_type)],
        texts=[("被举报店铺", form.target_store, store), ("商品链接", form.product_link, link),
               ("订单号", form.order_numbers, orders), ("举报说明", form.statement, statement)],
        files=[("图片证据", form.images, [p.name for p in images]),
               ("视频证据", form.videos, [p.name for p in videos]),
               ("聊天记录截图", form.chats, [p.name for p in chats])],
    )
    return FilledForm(
        page=page,
        submit=form.submit,
        action_url=await _action(page, form.form),
        statement_field=await _field_name(form.statement),
        file_field=await _field_name(form.images),
        read_outcome=_report_outcome,
        summary={"report type": report_type, "target": link or store,
                 "order numbers": orders or "—", "files": str(len(job.files))},
    )


async def _report_outcome(page: Page) -> tuple[str | None, list[str]]:
    """After the human's click: the 举报编号 the site gives, or the errors it shows."""
    status = page.get_by_role("status").filter(has_text=re.compile(parse.REPORT_ID_PATTERN))
    return await site_answer(page, status, parse.REPORT_ID_PATTERN)


def _target(case: Any) -> tuple[str, str]:
    """(被举报店铺, 商品链接): a target that is a link is the product link, else the store."""
    store = _case_text(case, "target_store", "reported_store")
    link = _case_text(case, "target_link", "product_link")
    target = _case_text(case, "target")
    if target and re.match(r"https?://", target, re.IGNORECASE):
        link = link or target
    elif target:
        store = store or target
    return store, link


def _order_numbers(case: Any) -> str:
    value = getattr(case, "order_numbers", None) or ()
    numbers = re.split(r"[,,\s]+", value) if isinstance(value, str) else [str(v) for v in value]
    return ", ".join(n.strip() for n in numbers if n.strip())


def _report_files(case: Any, files: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Split the evidence over 图片证据 / 视频证据 / 聊天记录截图: videos by type, chat records by
    the evidence kind case.yaml gives them (or 'chat'/'聊天' in the file name)."""
    kinds = [str(getattr(item, "kind", "")) for item in getattr(case, "evidence", ()) or ()]
    if len(kinds) != len(files):
        kinds = [""] * len(files)
    images: list[Path] = []
    videos: list[Path] = []
    chats: list[Path] = []
    for path, kind in zip(files, kinds, strict=True):
        if path.suffix.lower() in VIDEO_SUFFIXES:
            videos.append(path)
        elif "chat" in kind.lower() or "chat" in path.name.lower() or "聊天" in path.name:
            chats.append(path)
        else:
            images.append(path)
    return images, videos, chats


# --- shared steps -------------------------------------------------------------------------------


def _case_text(case: Any, *names: str) -> str:
    """The first non-empty of the case's attributes `names` (case kinds are still growing)."""
    for name in names:
        value = getattr(case, name, None)
        if value:
            return str(value).strip()
    return ""


def _statement(case: Any) -> str:
    return str(getattr(case, "statement", "") or "")


async def _form_or_refusal(page: Page, form: Locator, page_name: str, what: str) -> None:
    """Wait for the form; when the site answers with a refusal instead (role=alert, no form),
    stop with the site's own sentence."""
    alerts = page.get_by_role("alert")
    async with expecting(page_name, "open the form", f"the {page_name} form"):
        await form.or_(alerts).first.wait_for()
    if await form.count() == 0:
        said = " ".join(t.strip() for t in await alerts.all_inner_texts() if t.strip())
        raise BadInput(f"{what}: the site refuses the {page_name} form: {said} Nothing was typed.")


async def _offered(select: Locator, wanted: str, label: str, case_field: str, what: str) -> None:
    """Refuse, before typing, a choice the form does not offer for this record."""
    offered = await offered_options(select)
    if wanted not in offered:
        raise BadInput(
            f"{what}: {label} '{wanted}' (case.yaml {case_field}) is not offered here; "
            f"the site offers: {', '.join(offered)}. Nothing was typed.",
            f"Set {case_field} in case.yaml to one of them.",
        )


async def _listed(selected: Locator, page_name: str, names: list[str]) -> None:
    """The page's own 已选文件 list must show exactly the files attached (when it has one)."""
    if await selected.count() == 0:
        return
    items = selected.get_by_role("listitem")
    try:  # the page's script fills the list on change: wait for it, then compare
        await expect(items).to_have_count(len(names), timeout=5_000)
    except AssertionError:
        pass  # the comparison below names what the list shows instead
    shown = [t.strip() for t in await items.all_inner_texts()]
    if sorted(shown) != sorted(names):
        raise FormRejected(page_name, [f"已选文件 shows {', '.join(shown) or 'nothing'}; "
                                       f"expected {', '.join(names)}"])


async def _action(page: Page, form: Locator) -> str:
    return urljoin(page.url, await form.get_attribute("action") or page.url)


async def _field_name(field: Locator) -> str:
    """The multipart name the field is sent under, read from the page."""
    return await field.get_attribute("name") or ""
