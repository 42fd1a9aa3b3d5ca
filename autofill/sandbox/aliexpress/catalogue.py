"""What the AliExpress sandbox knows about violations: kinds, tallies, statuses, deficiency codes.

Tallies and evidence per violation follow shared/PLATFORM-FACTS.md; "Rule 4.2.1", EDC-207 and the
checklist come from the seed. Other rule numbers, codes and brand names are invented (see SPEC.md).
"""

from __future__ import annotations

from dataclasses import dataclass

APPEAL_WINDOW_DAYS = 7  # natural days from delivery (seed: 处罚通知发出后7个自然日内)
GOLDEN_HOURS = 72  # seed: 申诉黄金72小时
INFO_REQUEST_HOURS = 72  # invented: time to answer a request for more material
POINTS_WINDOW_DAYS = 365
EXAM_PASS_SCORE = 90

# 积分类型: key -> label, in page order
TALLIES: dict[str, str] = {
    "ip_prohibited": "知识产权禁限售违规",
    "serious_ip": "严重知识产权违规",
    "trade": "交易违规及其他",
    "quality": "商品信息质量违规",
}
# what the next step of each tally is (invented wording; PLATFORM-FACTS: serious IP escalates)
TALLY_THRESHOLDS: dict[str, str] = {
    "ip_prohibited": "累计满6分:限制发布商品7天;满48分:关闭账户",
    "serious_ip": "第1次:冻结账户7天;第2次:冻结账户14天;第3次:关闭账户",
    "trade": "累计满12分:冻结账户7天;满48分:关闭账户",
    "quality": "累计满12分:搜索降权;满24分:限制发布商品",
}

# 违规大类 filter keys -> label
CATEGORIES: dict[str, str] = {
    "ip": "知识产权侵权",
    "prohibited": "禁限售",
    "serious_ip": "严重知识产权侵权",
    "trade": "交易违规",
    "quality": "商品信息质量",
    "other": "其他",
}

ORIGINS: dict[str, str] = {"platform": "平台巡检", "report": "举报成立", "audit": "商品审核"}


@dataclass(frozen=True)
class ViolationKind:
    """One row of the SPEC's violation catalogue."""

    key: str
    category: str  # CATEGORIES key
    subcategory: str  # 违规小类, the platform's words (= violation_type in truth)
    rule_ref: str
    rule_name: str
    tally: str  # TALLIES key
    points: int
    measure: str  # 处罚措施
    product_status: str  # PRODUCT_STATUSES key
    appeal_reasons: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    origin: str = "platform"  # ORIGINS key; report / audit records cannot be appealed
    ip_kind: str | None = None  # 商标 | 著作权 | 专利
    batch: bool = False

    @property
    def appealable(self) -> bool:
        return self.origin == "platform"

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    @property
    def reasons_offered(self) -> tuple[str, ...]:
        return (*self.appeal_reasons, "其他") if self.appealable else ()


_R = "removed"
KINDS: dict[str, ViolationKind] = {
    k.key: k
    for k in (
        # key, 违规大类, 违规小类, rule, 规则名称, tally, points, 处罚措施, product status,
        # 申诉理由, 建议提供的证据
        ViolationKind(
            "ip_trademark", "ip", "商标侵权", "Rule 3.1.2", "商标侵权", "ip_prohibited", 2,
            "商品下架", _R, ("已获得品牌授权", "商品未侵权"),
            ("品牌授权书", "商标注册证", "进货凭证"), ip_kind="商标",
        ),
        ViolationKind(
            "ip_copyright", "ip", "著作权侵权(图片)", "Rule 3.1.3", "著作权侵权", "ip_prohibited",
            2, "商品下架", _R, ("图片为原创", "已获得图片授权"),
            ("原始图片文件(含拍摄时间)", "图片授权书"), ip_kind="著作权",
        ),
        ViolationKind(
            "ip_patent", "ip", "专利侵权", "Rule 3.1.4", "专利侵权", "ip_prohibited", 2,
            "商品下架", _R, ("不构成专利侵权", "已获得专利授权"),
            ("专利证书或授权书", "技术对比说明"), ip_kind="专利",
        ),
        ViolationKind(
            "serious_ip", "serious_ip", "严重商标侵权(售假)", "Rule 3.2.1", "严重知识产权侵权",
            "serious_ip", 6, "商品删除并冻结账户", _R, ("商品为正品", "已获得品牌授权"),
            ("进货发票", "品牌授权书", "商标注册证"), ip_kind="商标",
        ),
        ViolationKind(
            "prohibited", "prohibited", "发布禁限售商品", "Rule 2.1.1", "禁限售商品",
            "ip_prohibited", 6, "商品删除", _R, ("商品不属于禁限售商品", "类目或属性误判"),
            ("商品说明书", "检测报告"),
        ),
        ViolationKind(
            "trade_fake_shipping", "trade", "虚假发货", "Rule 4.2.1", "虚假发货", "trade", 2,
            "扣分并限制营销活动", "warning", ("已真实发货", "物流信息更新延迟"),
            ("物流单(发货单)", "物流轨迹截图"),
        ),
        ViolationKind(
            "trade_manipulation", "trade", "虚假交易(信用炒作)", "Rule 4.3.1", "虚假交易",
            "trade", 12, "商品下架并清除销量", _R, ("交易真实",),
            ("交易凭证", "物流单", "称重记录"),
        ),
        ViolationKind(
            "trade_not_shipped", "trade", "成交不卖", "Rule 4.1.2", "成交不卖", "trade", 1,
            "扣分", "warning", ("买家收货信息有误", "已与买家协商取消"),
            ("买家收货信息", "聊天记录(含买家ID)"),
        ),
        ViolationKind(
            "quality_category", "quality", "类目错放", "Rule 5.1.1", "类目错放", "quality", 1,
            "商品下架", _R, ("类目选择正确", "已修改商品信息"), ("商品图片或描述",),
        ),
        ViolationKind(
            "quality_sku", "quality", "SKU作弊", "Rule 5.1.3", "SKU作弊", "quality", 1,
            "商品下架", _R, ("SKU设置正确", "已修改商品信息"), ("商品图片或描述",),
        ),
        ViolationKind(
            "quality_duplicate", "quality", "重复铺货", "Rule 5.2.1", "重复铺货", "quality", 2,
            "商品下架", _R, ("商品不属于重复铺货", "已删除重复商品"), ("商品图片或描述",),
            batch=True,
        ),
        ViolationKind(
            "editable_return", "quality", "商品信息不符(退回编辑)", "Rule 5.3.1", "商品信息不符",
            "quality", 0, "退回编辑", "not_approved", origin="audit",
        ),
        ViolationKind(
            "report_image_theft", "ip", "盗图(举报成立)", "Rule 3.1.3", "著作权侵权",
            "ip_prohibited", 2, "商品下架", _R, origin="report", ip_kind="著作权",
        ),
        ViolationKind(
            "report_counterfeit", "serious_ip", "售假(举报成立)", "Rule 3.2.1",
            "严重知识产权侵权", "serious_ip", 6, "商品删除", _R, origin="report", ip_kind="商标",
        ),
        # an old rule that only keeps a generic text: a scan must keep what it does not know
        ViolationKind(
            "retired", "other", "其他违规(规则已下线)", "Rule 9.0.1", "其他违规", "trade", 1,
            "商品下架", _R, (), ("相关证明材料",),
        ),
    )
}

# penalty record status: key -> label (computed on read, see world.py)
RECORD_STATUSES: dict[str, str] = {
    "pending_appeal": "待申诉",
    "active": "生效中",
    "appealing": "申诉中",
    "appeal_succeeded": "申诉成功",
    "appeal_rejected": "申诉驳回",
}

# appeal status: normalized key (scan contract) -> label
APPEAL_STATUSES: dict[str, str] = {
    "submitted": "已提交",
    "under_review": "审核中",
    "info_requested": "需补充材料",
    "approved": "申诉成功",
    "rejected": "申诉驳回",
    "closed": "已关闭",
}
OPEN_APPEAL = frozenset({"submitted", "under_review", "info_requested"})

# product status: filter key -> (label, normalized status)
PRODUCT_STATUSES: dict[str, tuple[str, str]] = {
    "on_selling": ("正在销售", "active"),
    "warning": ("待整改", "warning"),
    "auditing": ("审核中", "pending_review"),
    "not_approved": ("审核不通过", "rejected"),
    "removed": ("违规下架", "removed"),
    "offline": ("已下架", "inactive"),
}

REPORT_TYPES: tuple[str, ...] = ("盗图", "售假", "刷单")
REPORT_STATUSES: tuple[str, ...] = ("待审核", "审核中", "举报成立", "举报不成立")
REPORTED_STATUSES: tuple[str, ...] = ("待处理", "已处罚", "不成立")


@dataclass(frozen=True)
class Deficiency:
    """An evidence-deficiency code shown on a rejected appeal, and the checklist item it cites."""

    code: str
    label: str
    checklist: str
    reason: str  # 驳回原因 sentence


CHECKLIST = "《Evidence Submission Checklist》"
_C = CHECKLIST
DEFICIENCIES: dict[str, Deficiency] = {
    d.code: d
    for d in (
        Deficiency(
            "EDC-118", "未引用规则条款编号",
            f"{_C}第1项:申诉说明须精准引用《AliExpress Seller Rules》具体条款编号(如 Rule 4.2.1)",
            "申诉理由模糊,未引用具体规则条款编号。",
        ),
        Deficiency(
            "EDC-201", "证据无法验证原始性", f"{_C}第2项:证据须为原始文件,未经编辑,可验证来源",
            "提交的证据无法验证原始性。",
        ),
        Deficiency(
            "EDC-207", "时间信息缺失", f"{_C}第3项:截图及凭证须显示完整、可验证的时间戳",
            "证据未显示完整时间戳,无法验证。",
        ),
        Deficiency(
            "EDC-211", "URL地址栏缺失", f"{_C}第4项:网页截图须包含浏览器URL地址栏",
            "网页截图未包含URL地址栏,无法核实来源。",
        ),
        Deficiency(
            "EDC-215", "聊天记录缺少买家ID", f"{_C}第5项:聊天记录截图须显示买家ID",
            "聊天记录截图未体现买家ID。",
        ),
        Deficiency(
            "EDC-220", "订单信息缺失(订单号/商品ID/物流单号)",
            f"{_C}第6项:订单证据须包含订单号、商品ID、物流单号",
            "订单证据缺少订单号、商品ID或物流单号。",
        ),
        Deficiency(
            "EDC-305", "站外提交材料无效",
            f"{_C}第7项:所有材料须通过卖家后台上传,邮件/微信等站外提交的材料不纳入审核",
            "部分材料通过站外渠道提交,不纳入审核。",
        ),
    )
}

INFO_REQUEST_TEXT = (
    "请补充带完整时间戳的物流轨迹截图(须包含URL地址栏)及订单号、商品ID、物流单号,"
    "请在补充截止前通过本页面提交。"
)

# "申诉须知": every appeal rule the seed states, as the pages show them
APPEAL_RULES: tuple[str, ...] = (
    "请在处罚送达后7个自然日内提交申诉;倒计时从通知送达时刻(非卖家查看时刻)开始计算,超时系统自动关闭申诉入口。",
    "处罚送达后72小时内为申诉黄金期,建议开启「处罚类通知」短信+APP提醒,尽早提交。",
    "每条处罚记录仅可申诉一次;每次申诉仅可提交1次补充材料。",
    "申诉说明须精准引用《AliExpress Seller Rules》具体条款编号(如 Rule 4.2.1),"
    "勿笼统称“规则不合理”。",
    "证据须带可验证的时间戳并能证明原始性;网页截图须包含URL地址栏;聊天记录须显示买家ID;"
    "订单证据须包含订单号、商品ID、物流单号。",
    "所有申诉材料须通过卖家后台加密上传;邮件、微信提交的材料不纳入审核,通过站外社交账号、"
    "非认证邮箱等非官方渠道联系客服的工单无效。",
    "举报成立产生的处罚不支持申诉;退回编辑的商品不支持申诉,请编辑后重新提交。",
    "平台申诉结果为终局裁定,不可再次上诉。",
    "申诉审核约5个工作日;举报与申诉全程免费,平台不收取任何受理费、服务费或加急费。",
    "新注册卖家首次申诉前须通过「卖家教育考试」(满分100分,≥90分方可提交)。",
    "驳回详情页标注「Evidence Deficiency Code」(如 EDC-207=时间信息缺失),"
    "请按代码对照《Evidence Submission Checklist》逐项补正。",
)

REPORT_RULES: tuple[str, ...] = (
    "举报用于向平台提交他人违规证据(如盗图、售假、刷单),由平台风控团队审核处理。",
    "支持上传图片、视频、订单号、聊天记录等结构化证据;图文证据完整度达90%以上的举报,平均审核周期72小时。",
    "品牌卖家(持R标或TM标)举报盗图、商标侵权类案件,审核优先级提升至T+1工作日响应。",
    "所有材料须通过卖家后台上传,邮件/微信提交的材料不纳入审核。",
    "举报适用于已通过企业营业执照认证、绑定对公账户、完成KYC实名核验的卖家。",
)

ACCOUNT_REQUIREMENT_TEXT = (
    "申诉与举报适用于已通过企业营业执照认证、绑定对公账户、完成KYC实名核验的卖家;"
    "个体工商户需额外提供《个体工商户营业执照》及经营者身份证正反面。"
)
