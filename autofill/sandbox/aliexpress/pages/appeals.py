"""申请申诉 (the appeal form), 我的申诉 (list), 申诉详情 with the one 补充材料 and 驳回详情."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from autofill.sandbox.aliexpress import policy, submissions
from autofill.sandbox.aliexpress.catalogue import APPEAL_RULES
from autofill.sandbox.aliexpress.forms import appeal_form_shape, read_appeal, read_supplement
from autofill.sandbox.aliexpress.models import Record
from autofill.sandbox.aliexpress.site import PREFIX, Site, paginate
from autofill.sandbox.aliexpress.views import appeal_view, record_view
from autofill.sandbox.sessions import Session

HOME = ("我的速卖通", f"{PREFIX}/")
VIOLIST = ("处罚记录", f"{PREFIX}/m_apps/violation/pop-violist")
APPEALS = ("我的申诉", f"{PREFIX}/m_apps/violation/pop-appeallist")


def routes(site: Site) -> list[BaseRoute]:
    def appeal_form(
        session: Session,
        record: Record,
        status_code: int = 200,
        problems: list[str] | None = None,
        values: dict[str, str] | None = None,
    ) -> HTMLResponse:
        shape = appeal_form_shape(site.world.form_variant)
        return site.render(
            "appeal_form.html",
            session=session,
            status_code=status_code,
            title="申请申诉",
            nav="violist",
            crumbs=[HOME, ("账户表现", None), VIOLIST, ("申请申诉", None)],
            v=record_view(site.world, record, site.now()),
            shape=shape,
            problems=problems or [],
            values={"reason": "", "statement": "", "phone": "", **(values or {})},
            appeal_rules=APPEAL_RULES,
        )

    @site.page
    async def appeal(request: Request, session: Session) -> Response:
        world = site.world
        record = world.record(request.query_params.get("punishId", ""))
        if record is None:
            return site.refuse(session, 404, policy.RECORD_NOT_FOUND, "申请申诉")
        if request.method == "GET":
            refusal = policy.appeal_refusal(world, record, site.now())
            if refusal is not None:
                return site.refuse(session, refusal.status_code, refusal.message, "申请申诉")
            return appeal_form(session, record)
        form = await site.checked_form(request, session)
        if isinstance(form, Response):
            return form
        refusal = policy.appeal_refusal(world, record, site.now())
        if refusal is not None:
            return site.refuse(session, refusal.status_code, refusal.message, "申请申诉")
        shape = appeal_form_shape(world.form_variant)
        sent = await read_appeal(form, shape, record.kind.reasons_offered)
        if sent.errors:
            return appeal_form(session, record, 400, sent.errors, sent.values)
        made = submissions.file_appeal(world, record, sent, site.now())
        return RedirectResponse(
            f"{PREFIX}/m_apps/violation/pop-appealdetail?appealId={made.appeal_id}&submitted=1",
            status_code=303,
        )

    @site.page
    async def appeal_list(request: Request, session: Session) -> Response:
        world, now = site.world, site.now()
        views = [appeal_view(world, a, now) for a in world.appeals]
        return site.render(
            "appeal_list.html",
            session=session,
            title="我的申诉",
            nav="appeals",
            crumbs=[HOME, ("违规管理", None), ("我的申诉", None)],
            pages=paginate(request, views),
        )

    @site.page
    async def appeal_detail(request: Request, session: Session) -> Response:
        world = site.world
        found = world.appeal(request.query_params.get("appealId", ""))
        if found is None:
            return site.refuse(session, 404, "未找到该申诉。", "申诉详情")
        context: dict[str, Any] = {"notice": None, "problems": [], "values": {"statement": ""}}
        status_code = 200
        if request.query_params.get("submitted") == "1":
            context["notice"] = f"申诉已提交,申诉编号:{found.appeal_id}。"
        if request.method == "POST":
            form = await site.checked_form(request, session)
            if isinstance(form, Response):
                return form
            refusal = policy.supplement_refusal(found, site.now())
            if refusal is not None:
                return site.refuse(session, refusal.status_code, refusal.message, "申诉详情")
            sent = await read_supplement(form)
            if sent.errors:
                status_code = 400
                context.update(problems=sent.errors, values=sent.values)
            else:
                submissions.file_supplement(world, found, sent, site.now())
                context["notice"] = "补充材料已提交。"
        return site.render(
            "appeal_detail.html",
            session=session,
            status_code=status_code,
            title="申诉详情",
            nav="appeals",
            crumbs=[HOME, ("违规管理", None), APPEALS, ("申诉详情", None)],
            a=appeal_view(world, found, site.now()),
            appeal_rules=APPEAL_RULES,
            **context,
        )

    return [
        Route("/m_apps/violation/appeal", appeal, methods=["GET", "POST"]),
        Route("/m_apps/violation/pop-appeallist", appeal_list, methods=["GET"]),
        Route("/m_apps/violation/pop-appealdetail", appeal_detail, methods=["GET", "POST"]),
    ]
