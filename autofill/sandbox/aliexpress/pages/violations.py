"""账户表现 > 处罚记录 (list and detail), 被举报, and the 通知 that deliver each record."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from autofill.sandbox.aliexpress import policy
from autofill.sandbox.aliexpress.catalogue import (
    APPEAL_RULES,
    CATEGORIES,
    RECORD_STATUSES,
)
from autofill.sandbox.aliexpress.site import PREFIX, Site, paginate
from autofill.sandbox.aliexpress.views import product_status, record_view
from autofill.sandbox.sessions import Session

HOME = ("我的速卖通", f"{PREFIX}/")
PERFORMANCE = ("账户表现", None)
VIOLIST = ("处罚记录", f"{PREFIX}/m_apps/violation/pop-violist")
VIOLATIONS = ("违规管理", None)


def routes(site: Site) -> list[BaseRoute]:
    @site.page
    async def violist(request: Request, session: Session) -> Response:
        world, now = site.world, site.now()
        status = _choice(request, "status", RECORD_STATUSES)
        category = _choice(request, "category", CATEGORIES)
        punish_id = request.query_params.get("punishId", "").strip()
        views = [record_view(world, r, now) for r in world.records]
        views = [
            v
            for v in views
            if status in ("all", v.status)
            and category in ("all", v.kind.category)
            and (not punish_id or punish_id in v.record.punish_id)
        ]
        return site.render(
            "violist.html",
            session=session,
            title="处罚记录",
            nav="violist",
            crumbs=[HOME, PERFORMANCE, ("处罚记录", None)],
            todo=policy.counters(world, now),
            pages=paginate(request, views),
            filters={"status": status, "category": category, "punish_id": punish_id},
            status_options=[("all", "全部"), *RECORD_STATUSES.items()],
            category_options=[("all", "全部"), *CATEGORIES.items()],
        )

    @site.page
    async def viodetail(request: Request, session: Session) -> Response:
        world, now = site.world, site.now()
        record = world.record(request.query_params.get("punishId", ""))
        if record is None:
            return site.refuse(session, 404, policy.RECORD_NOT_FOUND, "处罚详情")
        if record.viewed_at is None:  # first view; never moves the deadline
            record.viewed_at = now
        products = [p for p in (world.product(pid) for pid in record.product_ids) if p]
        return site.render(
            "viodetail.html",
            session=session,
            title="处罚详情",
            nav="violist",
            crumbs=[HOME, PERFORMANCE, VIOLIST, ("处罚详情", None)],
            v=record_view(world, record, now),
            products=[(p, product_status(p)[0]) for p in products],
            appeal_rules=APPEAL_RULES,
        )

    @site.page
    async def reported(request: Request, session: Session) -> Response:
        return site.render(
            "reported.html",
            session=session,
            title="被举报",
            nav="reports",
            crumbs=[HOME, VIOLATIONS, ("被举报", None)],
            reported=site.world.reported,
        )

    @site.page
    async def notices(request: Request, session: Session) -> Response:
        world, now = site.world, site.now()
        views = [record_view(world, r, now) for r in world.records]
        return site.render(
            "notices.html",
            session=session,
            title="通知",
            nav="notices",
            crumbs=[HOME, ("通知", None)],
            pages=paginate(request, views),
        )

    return [
        Route("/m_apps/violation/pop-violist", violist, methods=["GET"]),
        Route("/m_apps/violation/pop-viodetail", viodetail, methods=["GET"]),
        Route("/m_apps/violation/reported", reported, methods=["GET"]),
        Route("/m_apps/message/notice", notices, methods=["GET"]),
    ]


def _choice(request: Request, name: str, known: dict[str, str]) -> str:
    value = request.query_params.get(name, "all")
    return value if value in known else "all"
