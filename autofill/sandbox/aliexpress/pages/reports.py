"""违规管理 > 举报中心: 我发起的举报, the report form, and one report's page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from autofill.sandbox.aliexpress import policy, submissions
from autofill.sandbox.aliexpress.catalogue import REPORT_RULES, REPORT_TYPES
from autofill.sandbox.aliexpress.forms import read_report
from autofill.sandbox.aliexpress.site import PREFIX, Site, paginate
from autofill.sandbox.sessions import Session

HOME = ("我的速卖通", f"{PREFIX}/")
VIOLATIONS = ("违规管理", None)
CENTER = ("举报中心", f"{PREFIX}/m_apps/violation/report-center")
EMPTY = {
    "report_type": "",
    "reported_store": "",
    "product_link": "",
    "order_numbers": "",
    "statement": "",
}


def routes(site: Site) -> list[BaseRoute]:
    @site.page
    async def center(request: Request, session: Session) -> Response:
        return site.render(
            "report_center.html",
            session=session,
            title="举报中心",
            nav="reports",
            crumbs=[HOME, VIOLATIONS, ("举报中心", None)],
            report_rules=REPORT_RULES,
            pages=paginate(request, site.world.reports),
        )

    @site.page
    async def new_report(request: Request, session: Session) -> Response:
        problems: list[str] = []
        values = dict(EMPTY)
        if request.method == "POST":
            form = await site.checked_form(request, session)
            if isinstance(form, Response):
                return form
            refusal = policy.account_refusal(site.world.account, for_report=True)
            if refusal is not None:
                return site.refuse(session, refusal.status_code, refusal.message, "发起举报")
            sent = await read_report(form)
            if not sent.errors:
                report = submissions.file_report(site.world, sent, site.now())
                return RedirectResponse(
                    f"{PREFIX}/m_apps/violation/report-center/detail"
                    f"?reportId={report.report_id}&submitted=1",
                    status_code=303,
                )
            problems, values = sent.errors, {**EMPTY, **sent.values}
        return site.render(
            "report_form.html",
            session=session,
            status_code=400 if problems else 200,
            title="发起举报",
            nav="reports",
            crumbs=[HOME, VIOLATIONS, CENTER, ("发起举报", None)],
            report_rules=REPORT_RULES,
            report_types=REPORT_TYPES,
            problems=problems,
            values=values,
        )

    @site.page
    async def detail(request: Request, session: Session) -> Response:
        report = site.world.report(request.query_params.get("reportId", ""))
        if report is None:
            return site.refuse(session, 404, "未找到该举报。", "举报详情")
        notice = None
        if request.query_params.get("submitted") == "1":
            notice = f"举报已提交,举报编号:{report.report_id}。"
        return site.render(
            "report_detail.html",
            session=session,
            title="举报详情",
            nav="reports",
            crumbs=[HOME, VIOLATIONS, CENTER, ("举报详情", None)],
            rep=report,
            notice=notice,
        )

    return [
        Route("/m_apps/violation/report-center", center, methods=["GET"]),
        Route("/m_apps/violation/report-center/new", new_report, methods=["GET", "POST"]),
        Route("/m_apps/violation/report-center/detail", detail, methods=["GET"]),
    ]
