"""AliExpress's own words (卖家后台, Chinese UI), mapped to the scan contract. Site knowledge, kept
with the flow: the core sees only normalized statuses and the site's label beside them."""

from __future__ import annotations

from autofill.models import AppealStatus, ListingStatus

# 商品状态
LISTING_STATUS: dict[str, ListingStatus] = {
    "正在销售": "active",
    "待整改": "warning",
    "审核中": "pending_review",
    "审核不通过": "rejected",
    "违规下架": "removed",
    "已下架": "inactive",
}
ACTIVE_LABEL = "正在销售"
NEEDS_ATTENTION = "需关注"  # the 商品状态 filter option for every product not 正在销售

# 申诉状态
APPEAL_STATUS: dict[str, AppealStatus] = {
    "已提交": "submitted",
    "审核中": "under_review",
    "需补充材料": "info_requested",
    "申诉成功": "approved",
    "申诉驳回": "rejected",
    "已关闭": "closed",
}

# 积分类型 (account health) -> the key its figure is kept under
TALLIES: dict[str, str] = {
    "知识产权禁限售违规": "points.ip_prohibited",
    "严重知识产权违规": "points.serious_ip",
    "交易违规及其他": "points.trade",
    "商品信息质量违规": "points.quality",
}
# other account figures: the page's term -> the key it is kept under
ACCOUNT_TERMS: dict[str, str] = {
    "企业认证": "enterprise_verification",
    "对公账户": "corporate_account",
    "KYC实名核验": "kyc",
    "卖家教育考试": "exam",
}
PROFILE_TERMS: dict[str, str] = {
    "店铺名称": "store_name",
    "店铺ID": "store_id",
    "公司英文名称": "legal_name_en",
    "品牌卖家": "brand_seller",
}
COUNTERS: dict[str, str] = {
    "待回应": "pending_response",
    "待处罚": "pending_punishment",
    "待举证": "pending_evidence",
}

# what a record's 操作 cell says instead of 申请申诉 when it can never be appealed
NEVER_APPEALABLE = ("不可申诉", "请编辑后重新提交")

# 举报类型, accepted from a case in the site's words or as a key
REPORT_TYPES: dict[str, str] = {
    "盗图": "盗图",
    "售假": "售假",
    "刷单": "刷单",
    "image_theft": "盗图",
    "counterfeit": "售假",
    "fake_orders": "刷单",
}

NO_VALUE = {"", "—", "-", "未查看", "不可申诉"}

# what the 操作 cell shows instead of 申请申诉, and what it means for the seller
NO_APPEAL_BECAUSE: dict[str, str] = {
    "申诉期已过": "the appeal window closed: it ends 7 natural days after the notice was delivered "
                 "(送达时间), not after it was read, and the site then removes 申请申诉",
    "不可申诉": "penalties that come from a report (举报成立) cannot be appealed",
    "请编辑后重新提交": "the product was returned for editing: edit it and submit it again; "
                       "there is no appeal for this",
    "查看申诉": "the record already has its appeal (one appeal per record); see `autofill appeals`",
}
