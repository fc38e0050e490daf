"""Static master data of the fictional brand 山茶研 (a skincare brand): stores, products, names.

Every string here is GBK-encodable (Tmall and POS exports are GBK/GB18030) except NICK_TAILS, which
only ever reach UTF-8 JSON (WeChat nicknames carry emoji).
"""

from __future__ import annotations

BRAND = "山茶研"

# code, name, city, region, open_date, weight (share of home-store customers)
STORES = (
    ("S000", "线上客服中心", "上海", "总部", "2018-03-01", 0.0),
    ("S001", "上海静安嘉里中心店", "上海", "华东", "2018-06-18", 1.6),
    ("S002", "上海徐汇港汇店", "上海", "华东", "2019-04-12", 1.2),
    ("S003", "杭州湖滨银泰店", "杭州", "华东", "2019-09-20", 1.1),
    ("S004", "南京德基广场店", "南京", "华东", "2020-05-01", 1.0),
    ("S005", "苏州中心店", "苏州", "华东", "2021-01-08", 0.7),
    ("S006", "北京三里屯店", "北京", "华北", "2019-11-11", 1.4),
    ("S007", "北京国贸商城店", "北京", "华北", "2020-08-08", 1.0),
    ("S008", "天津万象城店", "天津", "华北", "2022-04-16", 0.6),
    ("S009", "广州天河城店", "广州", "华南", "2020-10-01", 1.1),
    ("S010", "深圳万象城店", "深圳", "华南", "2020-12-12", 1.2),
    ("S011", "成都太古里店", "成都", "西南", "2021-06-18", 1.0),
    ("S012", "重庆解放碑店", "重庆", "西南", "2022-09-09", 0.6),
    ("S013", "武汉武商广场店", "武汉", "华中", "2023-03-15", 0.7),
    ("S014", "长沙IFS店", "长沙", "华中", "2026-09-28", 0.4),
)

# sku, title, category, list_price, is_trial
PRODUCTS = (
    ("SC-T01", "山茶花精华体验装5ml", "skincare", "9.90", 1),
    ("SC-T02", "山茶花面霜体验装15g", "skincare", "19.90", 1),
    ("SC-T03", "山茶花修护三件套体验礼盒", "gift_box", "39.90", 1),
    ("SC-T04", "氨基酸洁面体验装30ml", "cleansing", "9.90", 1),
    ("SC-S01", "山茶花精华小样1ml", "sample", "0.00", 0),
    ("SC-S02", "修护面霜小样2g", "sample", "0.00", 0),
    ("SC-S03", "洁面乳小样10ml", "sample", "0.00", 0),
    ("SC-E01", "山茶花修护精华30ml", "skincare", "299.00", 0),
    ("SC-E02", "山茶花修护精华50ml", "skincare", "459.00", 0),
    ("SC-C01", "山茶花修护面霜50g", "skincare", "369.00", 0),
    ("SC-C02", "山茶花轻盈乳液100ml", "skincare", "229.00", 0),
    ("SC-W01", "山茶花柔肤水200ml", "skincare", "189.00", 0),
    ("SC-M01", "山茶花补水面膜10片装", "mask", "129.00", 0),
    ("SC-M02", "山茶花睡眠面膜80g", "mask", "159.00", 0),
    ("SC-L01", "氨基酸洁面乳120ml", "cleansing", "99.00", 0),
    ("SC-L02", "温和卸妆油150ml", "cleansing", "139.00", 0),
    ("SC-U01", "山茶花防晒乳50ml", "suncare", "169.00", 0),
    ("SC-B01", "山茶花润体乳250ml", "bodycare", "119.00", 0),
    ("SC-H01", "山茶花护手霜三支装", "bodycare", "89.00", 0),
    ("SC-G01", "山茶花修护全套礼盒", "gift_box", "899.00", 0),
    ("SC-G02", "山茶花精华面霜双支礼盒", "gift_box", "699.00", 0),
    ("SC-X01", "限定版山茶花香氛蜡烛", "lifestyle", "199.00", 0),
)

SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
            "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹")
SURNAME_PINYIN = ("wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
                  "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao", "zheng", "liang", "xie", "song",
                  "tang", "xu", "han", "feng", "deng", "cao")
GIVEN = ("芳", "娜", "敏", "静", "丽", "婷", "雪", "琳", "洁", "晶", "欣", "悦", "佳", "颖", "倩", "萌",
         "磊", "伟", "杰", "涛", "晨", "阳", "宁", "岚", "璐", "思", "雨", "彤", "蕾", "瑶")
GIVEN_PINYIN = ("fang", "na", "min", "jing", "li", "ting", "xue", "lin", "jie", "jing", "xin", "yue", "jia",
                "ying", "qian", "meng", "lei", "wei", "jie", "tao", "chen", "yang", "ning", "lan", "lu", "si",
                "yu", "tong", "lei", "yao")
NICK_WORDS = ("小鹿", "晴天", "星星", "茶茶", "橘子", "糖果", "云朵", "木木", "阿花", "小雨", "兔兔",
              "栗子", "柚子", "安安", "可乐", "七七", "豆豆", "米粒", "Lily", "Coco", "Momo", "Vivi", "Amy",
              "Sunny")
NICK_TAILS = ("", "", "🌸", "✨", "~", "呀", "酱", "_", "🍑", "的日常")
REMARK_TAGS = ("敏感肌", "干皮", "油皮", "混油", "孕期", "学生党", "送礼", "老客", "高客单", "爱直播",
               "会员", "待回访")
CORP_NAMES = ("上海花漾包装有限公司", "杭州云仓物流有限公司", "深圳美妆供应链有限公司",
              "北京星图传媒有限公司", "广州原料科技有限公司", "成都本地生活服务有限公司")
LEAD_SOURCES = ("抖音", "今日头条", "西瓜视频", "穿山甲")
LEAD_TYPES = ("表单提交", "在线咨询", "智能电话")
LEAD_STATES = ("新线索", "跟进中", "已转化", "无效线索")
REFUND_REASONS = ("不想要了", "拍错了", "过敏", "物流太慢", "与描述不符", "七天无理由")
MP_PAGES = ("/pages/index/index", "/pages/goods/detail", "/pages/category/index", "/pages/activity/trial",
            "/pages/member/center", "/pages/cart/index", "/pages/live/replay")
MP_SCENES = ("1001", "1007", "1008", "1011", "1035", "1037", "1047", "1089")
MSG_TYPES = ("text", "text", "text", "text", "image", "voice", "emotion", "link", "weapp", "video")
GROUP_NOTICES = ("本群每周三福利日，新品试用名额限量，欢迎参与～", "请勿发广告，违者移出。", "")
# Delivery addresses for the unread keys that carry them (Youzan address_info, Tmall 收货地址).
ADDRESSES = (("浙江省", "杭州市", "西湖区", "文三路"), ("上海市", "上海市", "静安区", "南京西路"),
             ("广东省", "深圳市", "南山区", "科技园路"), ("四川省", "成都市", "锦江区", "春熙路"),
             ("北京市", "北京市", "朝阳区", "建国路"), ("江苏省", "南京市", "鼓楼区", "中山北路"))
BUYER_NOTES = ("请尽快发货", "不要放快递柜", "送人的，不要放价格单", "")
