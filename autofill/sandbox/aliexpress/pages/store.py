"""我的速卖通 (home), 商品管理, 账户健康 and 店铺信息."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from autofill.sandbox.aliexpress import policy
from autofill.sandbox.aliexpress.catalogue import (
    ACCOUNT_REQUIREMENT_TEXT,
    EXAM_PASS_SCORE,
    PRODUCT_STATUSES,
    TALLIES,
    TALLY_THRESHOLDS,
)
from autofill.sandbox.aliexpress.models import Account
from autofill.sandbox.aliexpress.site import PREFIX, Site, paginate
from autofill.sandbox.aliexpress.views import product_status
from autofill.sandbox.sessions import Session

HOME = ("我的速卖通", f"{PREFIX}/")
PRODUCT_FILTERS: list[tuple[str, str]] = [
    ("all", "全部"),
    ("not_active", "需关注"),
    *((key, label) for key, (label, _) in PRODUCT_STATUSES.items()),
]


def routes(site: Site) -> list[BaseRoute]:
    @site.page
    async def home(request: Request, session: Session) -> Response:
        return site.render(
            "home.html",
            session=session,
            title="我的速卖通",
            nav="home",
            todo=policy.counters(site.world, site.now()),
        )

    @site.page
    async def products(request: Request, session: Session) -> Response:
        status = request.query_params.get("status", "all")
        if status not in dict(PRODUCT_FILTERS):
            status = "all"
        chosen = [
            p
            for p in site.world.products
            if status == "all"
            or (status == "not_active" and p.status != "on_selling")
            or p.status == status
        ]
        pages = paginate(request, [(p, product_status(p)[0]) for p in chosen])
        return site.render(
            "products.html",
            session=session,
            title="商品管理",
            nav="products",
            crumbs=[HOME, ("商品管理", None)],
            pages=pages,
            status=status,
            status_options=PRODUCT_FILTERS,
        )

    @site.page
    async def product_detail(request: Request, session: Session) -> Response:
        product = site.world.product(request.query_params.get("productId", ""))
        if product is None:
            return site.refuse(session, 404, "未找到该商品。", "商品详情")
        return site.render(
            "product_detail.html",
            session=session,
            title=product.title,
            nav="products",
            crumbs=[HOME, ("商品管理", f"{PREFIX}/m_apps/product/list"), ("商品详情", None)],
            p=product,
            label=product_status(product)[0],
        )

    @site.page
    async def health(request: Request, session: Session) -> Response:
        account = site.world.account
        return site.render(
            "account_health.html",
            session=session,
            title="账户健康",
            nav="health",
            crumbs=[HOME, ("账户表现", None), ("账户健康", None)],
            account=account,
            tallies=list(TALLIES.items()),
            thresholds=TALLY_THRESHOLDS,
            points=policy.points(site.world, site.now()),
            exam_label=exam_label(account),
            requirement_text=ACCOUNT_REQUIREMENT_TEXT,
        )

    @site.page
    async def profile(request: Request, session: Session) -> Response:
        return site.render(
            "store_profile.html",
            session=session,
            title="店铺信息",
            nav="profile",
            crumbs=[HOME, ("店铺信息", None)],
            account=site.world.account,
        )

    return [
        Route("/", home, methods=["GET"]),
        Route("/m_apps/product/list", products, methods=["GET"]),
        Route("/m_apps/product/detail", product_detail, methods=["GET"]),
        Route("/m_apps/account-health/pop-accounthealth", health, methods=["GET"]),
        Route("/m_apps/store/profile", profile, methods=["GET"]),
    ]


def exam_label(account: Account) -> str:
    """已通过(95分) / 未通过(80分) / 未参加."""
    score = account.exam_score
    if score is None:
        return "未参加"
    return f"{'已通过' if score >= EXAM_PASS_SCORE else '未通过'}({score}分)"
