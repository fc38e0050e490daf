"""Labels: the Chinese an operator reads, the English beside it (spec/marts.md's names)."""

from __future__ import annotations


def bi(cn: str, en: str) -> str:
    return f"{cn} {en}"


PAGES = {
    "assets": bi("客户资产", "Customer assets"),
    "guides": bi("导购排行", "Guide leaderboard"),
    "funnel": bi("私域漏斗", "Funnel"),
    "rfm": bi("RFM 分层", "RFM segments"),
    "channels": bi("渠道获客", "Channel CAC / LTV"),
    "cohorts": bi("留存", "Cohort retention"),
    "fission": bi("裂变", "Fission"),
    "quality": bi("数据质量", "Data quality"),
}
TOUCHPOINTS = {
    "wecom": bi("企业微信", "WeCom"),
    "oa": bi("公众号", "Official Account"),
    "group": bi("社群", "Groups"),
    "any": bi("任一触点", "Any touchpoint"),
}
OPENING = bi("期初", "Opening")
ADDED = bi("新增", "Added")
LOST = bi("流失", "Lost")
CLOSING = bi("期末", "Closing")
TRANSFERRED_IN = bi("转入", "Transferred in")
TRANSFERRED_OUT = bi("转出", "Transferred out")
LOST_BY_CUSTOMER = bi("客户删除", "Lost by customer")
LOST_BY_GUIDE = bi("导购删除", "Lost by guide")

GUIDE = bi("导购", "Guide")
ASSET_COUNT = bi("客群资产数", "Customer assets")
DELIVERY_RATE = bi("营销传递率", "Delivery rate")
SCENE_CONVERSION = bi("场景转化率", "Scene conversion")
REVENUE_PER_BUYER = bi("客单价", "Revenue per buyer")
PERFORMANCE = bi("私域业绩", "Touched net revenue")
REACHED = bi("触达客户", "Reached")
BUYERS = bi("成交客户", "Buyers")
UNTOUCHED = bi("未触达成交额", "Untouched net revenue")

STEP = bi("步骤", "Step")
CUSTOMERS = bi("客户数", "Customers")
FROM_PREVIOUS = bi("上一步转化率", "Conversion from previous")
FROM_START = bi("累计转化率", "Conversion from start")

SEGMENT = bi("分层", "Segment")
NET_REVENUE = bi("净收入", "Net revenue")
SHARE_OF_CUSTOMERS = bi("客户占比", "Share of customers")
SHARE_OF_REVENUE = bi("收入占比", "Share of revenue")
SUPER_USERS = bi("超级用户", "Super users")
# the eight standard segments by (R high, F high, M high) (spec/marts.md, rfm_scores)
RFM_GRID = {
    (True, True, True): "重要价值客户", (True, False, True): "重要发展客户",
    (False, True, True): "重要保持客户", (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户", (True, False, False): "一般发展客户",
    (False, True, False): "一般保持客户", (False, False, False): "一般挽留客户",
}

CHANNEL = bi("渠道", "Channel")
CAMPAIGN = bi("活动", "Campaign")
COHORT_MONTH = bi("获客月", "Cohort month")
SPEND = bi("投放", "Spend")
NEW_CUSTOMERS = bi("新客", "New customers")
CAC = bi("获客成本", "CAC")
PAYBACK = bi("回本天数", "Payback days")

MONTHS_SINCE = bi("获客后月数", "Months since acquisition")
PURCHASING_RATE = bi("购买率", "Purchasing rate")

K_FACTOR = bi("K 因子", "K-factor")
PARTICIPANTS = bi("发起人", "Participants")
INVITEES = bi("受邀人", "Invitees")
GENERATION = bi("代际", "Generation")

STORE = bi("门店", "Store")
DATES = bi("日期", "Dates")
ALL = bi("全部", "All")
TABLE = bi("数据表", "Source table")
REASON = bi("原因", "Reason")
FILES = bi("文件数", "Files")
ROWS = bi("隔离行数", "Quarantined rows")
CHECK = bi("检查", "Check")
STATUS = bi("状态", "Status")
STATUSES = {"failed": bi("阻断", "Failed, blocking"), "warned": bi("警告", "Warned"),
            "passed": bi("通过", "Passed")}
