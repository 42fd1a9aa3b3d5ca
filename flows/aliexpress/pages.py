"""AliExpress seller backend (卖家后台) page objects: locators defined once, from roles, labels and
visible Chinese text; never from classes or ids (they change on every deploy).

Each page declares its key elements (`expects`): `autofill doctor --store X` checks them against
the live site, so drift is caught by the same knowledge the flows use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autofill.dom import read_table, read_terms, read_terms_all
from flows.aliexpress.parse import Row, Terms, page_count

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page


@dataclass
class AliPage:
    page: Page
    title = ""
    path = ""

    def expects(self) -> dict[str, Locator]:
        return {}

    def heading(self, name: str) -> Locator:
        return self.page.get_by_role("heading", name=name, level=1, exact=True)

    @property
    def pagination(self) -> Locator:
        return self.page.get_by_role("navigation", name="分页", exact=True)

    async def page_count(self) -> int:
        if await self.pagination.count() == 0:
            return 1
        return page_count(await self.pagination.inner_text())


class LoginPage(AliPage):
    title = "速卖通卖家后台登录"
    path = "/login"

    @property
    def account(self) -> Locator:
        return self.page.get_by_label("账号", exact=True)

    @property
    def password(self) -> Locator:
        return self.page.get_by_label("密码", exact=True)

    @property
    def log_in(self) -> Locator:
        return self.page.get_by_role("button", name="登录", exact=True)

    async def log_in_with(self, account: str, password: str) -> None:
        await self.account.fill(account)
        await self.password.fill(password)
        await self.log_in.click()

    def expects(self) -> dict[str, Locator]:
        return {"账号 field": self.account, "密码 field": self.password,
                "登录 button": self.log_in}


class Shell(AliPage):
    """What every logged-in page has: the main navigation; home holds the to-do counters."""

    title = "我的速卖通"
    path = "/"

    @property
    def nav(self) -> Locator:
        return self.page.get_by_role("navigation", name="主导航", exact=True)

    @property
    def records_link(self) -> Locator:
        return self.nav.get_by_role("link", name="处罚记录", exact=True)

    @property
    def counters(self) -> Locator:
        return self.page.get_by_role("region", name="待办事项", exact=True)

    async def todo(self) -> Terms:
        await self.counters.wait_for()
        return await read_terms(self.counters)

    def expects(self) -> dict[str, Locator]:
        return {"主导航": self.nav, "处罚记录 link": self.records_link,
                "我的申诉 link": self.nav.get_by_role("link", name="我的申诉", exact=True),
                "举报中心 link": self.nav.get_by_role("link", name="举报中心", exact=True),
                "待办事项": self.counters}


class RecordsPage(AliPage):
    """账户表现 > 处罚记录."""

    title = "处罚记录"
    path = "/m_apps/violation/pop-violist"

    @property
    def search(self) -> Locator:
        return self.page.get_by_role("search", name="筛选处罚记录", exact=True)

    @property
    def status_filter(self) -> Locator:
        return self.search.get_by_label("处罚状态", exact=True)

    @property
    def record_id_field(self) -> Locator:
        return self.search.get_by_label("处罚编号", exact=True)

    @property
    def query(self) -> Locator:
        return self.search.get_by_role("button", name="查询", exact=True)

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table", name="处罚记录", exact=True)

    def appeal_link(self, record_id: str) -> Locator:
        return self.table.get_by_role("link", name=f"申请申诉 {record_id}", exact=True)

    async def find(self, record_id: str) -> None:
        """Look a record up by its 处罚编号 (the page reloads with the filter)."""
        await self.record_id_field.fill(record_id)
        await self.query.click()

    async def rows(self) -> list[Row]:
        await self.table.wait_for()
        return await read_table(self.table)

    def expects(self) -> dict[str, Locator]:
        return {"筛选处罚记录": self.search, "处罚状态 filter": self.status_filter,
                "处罚编号 field": self.record_id_field, "查询 button": self.query,
                "处罚记录 table": self.table}


class RecordDetailPage(AliPage):
    """处罚详情 (opening it sets the record's 查看时间 on the site; it never moves a deadline)."""

    title = "处罚详情"
    path = "/m_apps/violation/pop-viodetail"

    @property
    def facts_section(self) -> Locator:
        return self.page.get_by_role("region", name="处罚信息", exact=True)

    @property
    def products(self) -> Locator:
        return self.page.get_by_role("table", name="涉及商品", exact=True)

    async def facts(self) -> Terms:
        await self.facts_section.wait_for()
        return await read_terms(self.facts_section)

    async def product_rows(self) -> list[Row]:
        await self.products.wait_for()
        return await read_table(self.products)

    def expects(self) -> dict[str, Locator]:
        return {"处罚信息": self.facts_section, "涉及商品 table": self.products}


class AppealFormPage(AliPage):
    """申请申诉."""

    title = "申请申诉"
    path = "/m_apps/violation/appeal"

    @property
    def form(self) -> Locator:
        return self.page.get_by_role("form", name="申诉表单", exact=True)

    @property
    def reason(self) -> Locator:
        return self.form.get_by_label("申诉理由", exact=True)

    @property
    def statement(self) -> Locator:
        return self.form.get_by_label("申诉说明", exact=True)

    @property
    def files(self) -> Locator:
        return self.form.get_by_label("证据材料", exact=True)

    @property
    def selected_files(self) -> Locator:
        return self.form.get_by_role("list", name="已选文件", exact=True)

    @property
    def submit(self) -> Locator:
        """The final submit: located to highlight it for the human, never clicked."""
        return self.form.get_by_role("button", name="提交申诉", exact=True)

    async def facts(self) -> Terms:
        return await read_terms(self.page.get_by_role("main"))

    def expects(self) -> dict[str, Locator]:
        return {"申诉表单": self.form, "申诉理由 select": self.reason,
                "申诉说明 field": self.statement, "证据材料 input": self.files,
                "提交申诉 button": self.submit}


class AppealsPage(AliPage):
    """违规管理 > 我的申诉."""

    title = "我的申诉"
    path = "/m_apps/violation/pop-appeallist"

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table", name="我的申诉", exact=True)

    def appeal_link(self, appeal_id: str) -> Locator:
        return self.table.get_by_role("link", name=appeal_id, exact=True)

    async def rows(self) -> list[Row]:
        await self.heading("我的申诉").wait_for()
        if await self.table.count() == 0:
            return []
        return await read_table(self.table)

    def expects(self) -> dict[str, Locator]:
        return {"我的申诉 heading": self.heading("我的申诉"), "我的申诉 table": self.table}


class AppealDetailPage(AliPage):
    """申诉详情, with the one 补充材料 form while more material is requested."""

    title = "申诉详情"
    path = "/m_apps/violation/pop-appealdetail"

    @property
    def form(self) -> Locator:
        return self.page.get_by_role("form", name="补充材料", exact=True)

    @property
    def statement(self) -> Locator:
        return self.form.get_by_label("补充说明", exact=True)

    @property
    def files(self) -> Locator:
        return self.form.get_by_label("补充证据", exact=True)

    @property
    def selected_files(self) -> Locator:
        return self.form.get_by_role("list", name="已选文件", exact=True)

    @property
    def submit(self) -> Locator:
        """The final submit: located to highlight it for the human, never clicked."""
        return self.form.get_by_role("button", name="提交补充材料", exact=True)

    async def facts(self) -> Terms:
        """Everything in its term lists: the appeal, and 驳回详情 when rejected."""
        await self.heading("申诉详情").wait_for()
        return await read_terms(self.page.get_by_role("main"))

    async def says(self, sentence: str) -> bool:
        return await self.page.get_by_role("main").get_by_text(sentence).count() > 0

    def expects(self) -> dict[str, Locator]:
        return {"申诉详情 heading": self.heading("申诉详情")}


class ReportCenterPage(AliPage):
    """违规管理 > 举报中心 (我发起的举报)."""

    title = "举报中心"
    path = "/m_apps/violation/report-center"

    @property
    def new_report(self) -> Locator:
        return self.page.get_by_role("main").get_by_role("link", name="发起举报", exact=True)

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table", name="我发起的举报", exact=True)

    def expects(self) -> dict[str, Locator]:
        return {"发起举报 link": self.new_report, "我发起的举报 table": self.table}


class ReportFormPage(AliPage):
    """发起举报."""

    title = "发起举报"
    path = "/m_apps/violation/report-center/new"

    @property
    def form(self) -> Locator:
        return self.page.get_by_role("form", name="举报表单", exact=True)

    @property
    def report_type(self) -> Locator:
        return self.form.get_by_label("举报类型", exact=True)

    @property
    def target_store(self) -> Locator:
        return self.form.get_by_label("被举报店铺", exact=True)

    @property
    def product_link(self) -> Locator:
        return self.form.get_by_label("商品链接", exact=True)

    @property
    def order_numbers(self) -> Locator:
        return self.form.get_by_label("订单号", exact=True)

    @property
    def statement(self) -> Locator:
        return self.form.get_by_label("举报说明", exact=True)

    @property
    def images(self) -> Locator:
        return self.form.get_by_label("图片证据", exact=True)

    @property
    def videos(self) -> Locator:
        return self.form.get_by_label("视频证据", exact=True)

    @property
    def chats(self) -> Locator:
        return self.form.get_by_label("聊天记录截图", exact=True)

    @property
    def selected_files(self) -> Locator:
        return self.form.get_by_role("list", name="已选文件", exact=True)

    @property
    def submit(self) -> Locator:
        """The final submit: located to highlight it for the human, never clicked."""
        return self.form.get_by_role("button", name="提交举报", exact=True)

    def expects(self) -> dict[str, Locator]:
        return {"举报表单": self.form, "举报类型 select": self.report_type,
                "举报说明 field": self.statement, "图片证据 input": self.images,
                "提交举报 button": self.submit}


class ProductsPage(AliPage):
    """商品管理."""

    title = "商品管理"
    path = "/m_apps/product/list"

    @property
    def search(self) -> Locator:
        return self.page.get_by_role("search", name="筛选商品", exact=True)

    @property
    def status_filter(self) -> Locator:
        return self.search.get_by_label("商品状态", exact=True)

    @property
    def query(self) -> Locator:
        return self.search.get_by_role("button", name="查询", exact=True)

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table", name="商品列表", exact=True)

    async def filter_by(self, label: str) -> None:
        """Choose a 商品状态 and query (the page reloads with the filter)."""
        await self.status_filter.select_option(label=label)
        await self.query.click()

    async def rows(self) -> list[Row]:
        await self.table.wait_for()
        return await read_table(self.table)

    def expects(self) -> dict[str, Locator]:
        return {"商品状态 filter": self.status_filter, "查询 button": self.query,
                "商品列表 table": self.table}


class ProductDetailPage(AliPage):
    title = "商品详情"
    path = "/m_apps/product/detail"

    @property
    def facts_section(self) -> Locator:
        return self.page.get_by_role("region", name="商品信息", exact=True)

    async def facts(self) -> Terms:
        await self.facts_section.wait_for()
        return await read_terms(self.facts_section)

    def expects(self) -> dict[str, Locator]:
        return {"商品信息": self.facts_section}


class NoticesPage(AliPage):
    """通知: one 处罚通知 (an article) per penalty record."""

    title = "通知"
    path = "/m_apps/message/notice"

    @property
    def notices(self) -> Locator:
        return self.page.get_by_role("main").get_by_role("article")

    async def read(self) -> list[Terms]:
        await self.heading("通知").wait_for()
        return await read_terms_all(self.notices)

    def expects(self) -> dict[str, Locator]:
        return {"通知 heading": self.heading("通知")}


class AccountHealthPage(AliPage):
    title = "账户健康"
    path = "/m_apps/account-health/pop-accounthealth"

    @property
    def tallies(self) -> Locator:
        return self.page.get_by_role("table", name="违规积分(近365天)", exact=True)

    @property
    def requirements(self) -> Locator:
        return self.page.get_by_role("region", name="账户资质", exact=True)

    async def facts(self) -> tuple[Terms, list[Row]]:
        """Its terms (账户状态 and the 账户资质) and the point tallies."""
        await self.heading("账户健康").wait_for()
        terms = await read_terms(self.page.get_by_role("main"))
        return terms, await read_table(self.tallies)

    def expects(self) -> dict[str, Locator]:
        return {"账户健康 heading": self.heading("账户健康"), "违规积分 table": self.tallies,
                "账户资质": self.requirements}


class StoreProfilePage(AliPage):
    title = "店铺信息"
    path = "/m_apps/store/profile"

    async def facts(self) -> dict[str, Any]:
        await self.heading("店铺信息").wait_for()
        return await read_terms(self.page.get_by_role("main"))

    def expects(self) -> dict[str, Locator]:
        return {"店铺信息 heading": self.heading("店铺信息"),
                "公司名称": self.page.get_by_role("main").get_by_text("公司名称", exact=True)}
