"""Acquisition campaigns, the channel codes that point at them, and the ad spend that pays for them.

One campaign owns several codes (a WeCom `state`, an OA `qr_scene_str`, a mini program
`utm_campaign`, Ocean Engine `promotion_id`s, ad-platform `campaign_id`s); org/channel_code maps each
code to (channel, campaign_id), which is how marts.channel_economics puts spend next to customers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .catalog import STORES
from .clock import DAY, Window
from .config import PATHS

# Share of a path's newcomers whose first touch carries no code (a store visitor who never scans
# the store QR, an OA follower who found the account by search).
UNCODED = {"lead": 0.0, "wecom_ad": 0.0, "store": 0.25, "oa": 0.3, "fission": 0.0, "live": 0.0,
           "mp": 0.35, "marketplace": 1.0, "mp_share": 1.0}


@dataclass
class Campaign:
    campaign_id: str
    channel: str
    name: str
    paths: tuple[str, ...]
    span: tuple[float, float] | None  # active share of the window; None = always on
    pre: bool = False                  # also used by people acquired before the window
    weight: float = 1.0
    platform: str | None = None
    account_id: str = ""
    cpa: float = 0.0                   # 元 per acquired customer, so CAC lands near it
    budget_share: float = 0.0          # spend without conversions (a test that did not work)
    ad_codes: tuple[str, ...] = ()
    promotion_ids: tuple[str, ...] = ()
    state: str | None = None
    qr: str | None = None
    utm: str | None = None
    per_store: bool = False
    start: int = 0
    end: int = 0
    daily_expected: dict[int, float] = field(default_factory=dict)

    def state_for(self, store: str) -> str | None:
        return f"store_{store}" if self.per_store else self.state

    def qr_for(self, store: str) -> str | None:
        return f"oa_store_{store}" if self.per_store else self.qr

    def codes(self) -> list[tuple[str, str]]:
        out = [(c, "ad campaign") for c in self.ad_codes]
        out += [(p, "Ocean Engine promotion") for p in self.promotion_ids]
        if self.per_store:
            for code, *_ in STORES[1:]:
                out += [(f"store_{code}", f"WeCom contact QR at {code}"),
                        (f"oa_store_{code}", f"OA QR at {code}")]
        named = ((self.state, "WeCom contact-way state"), (self.qr, "OA qr_scene_str"),
                 (self.utm, "mini program utm_campaign"))
        out += [(c, what) for c, what in named if c]
        if self.channel == "fission":
            out.append((self.campaign_id, "fission campaign_id"))
        return out


def catalogue() -> list[Campaign]:
    return [
        Campaign("dy_trial_q4", "douyin_ads", "抖音信息流-体验装引流", ("lead", "wecom_ad", "mp"), (0.0, 1.0),
                 weight=3, platform="oceanengine", account_id="1769283746512345", cpa=48,
                 ad_codes=("1790331200101", "1790331200102"),
                 promotion_ids=("7421000000000000101", "7421000000000000102", "7421000000000000103"),
                 state="dy_trial_q4", utm="dy_trial_q4_mp"),
        Campaign("dy_summer", "douyin_ads", "抖音夏季拉新", ("lead", "wecom_ad"), (-9.0, 0.0), pre=True,
                 promotion_ids=("7398000000000000201",), state="dy_summer_2026"),
        Campaign("xhs_seed_oct", "xiaohongshu", "小红书种草-秋季修护", ("wecom_ad", "mp"), (0.0, 0.7),
                 weight=2, platform="xiaohongshu", account_id="xhs_adv_6620", cpa=62, ad_codes=("xhs_8812",),
                 state="xhs_seed_oct", utm="xhs_seed_mp"),
        Campaign("moments_q4", "wechat_ads", "朋友圈广告-Q4", ("wecom_ad", "oa"), (0.3, 1.0), weight=1.5,
                 platform="tencent_ads", account_id="gdt_31205", cpa=39, ad_codes=("gdt_5566021",),
                 state="wx_moments_q4", qr="oa_moments_q4"),
        Campaign("ks_test", "kuaishou", "快手测试投放", (), (0.5, 0.8), platform="kuaishou",
                 account_id="ks_88120", budget_share=0.004, cpa=55, ad_codes=("ks_77310",)),
        Campaign("bd_brand", "baidu", "百度品牌专区", ("oa",), (0.0, 1.0), weight=0.3, platform="baidu",
                 account_id="bd_2201", cpa=30, ad_codes=("bd_brand_01",), qr="oa_baidu_brand"),
        Campaign("store_qr", "store_qr", "门店二维码", ("store", "oa"), None, pre=True, weight=2,
                 per_store=True),
        Campaign("oa_art_0815", "oa_article", "公众号推文-夏日修护", ("oa",), (-9.0, 0.0), pre=True,
                 qr="oa_art_0815"),
        Campaign("oa_art_1008", "oa_article", "公众号推文-换季护肤", ("oa",), (0.1, 0.5), qr="oa_art_1008"),
        Campaign("oa_art_1022", "oa_article", "公众号推文-双11预告", ("oa",), (0.5, 1.0), qr="oa_art_1022"),
        Campaign("fx_autumn", "fission", "秋季邀请有礼", ("fission",), (0.1, 0.55), weight=1,
                 state="fx_autumn_add"),
        Campaign("fx_double11", "fission", "双11裂变助力", ("fission",), (0.55, 1.0), weight=1.3,
                 state="fx_d11_add"),
        Campaign("live_q4", "live", "抖音直播间", ("live", "mp"), (0.0, 1.0), pre=True, weight=1,
                 state="live_card_q4", utm="live_q4_mp"),
    ]


def place(campaigns: list[Campaign], window: Window) -> None:
    """Turn each campaign's span into epoch bounds (clipped to history … window end)."""
    n = window.last_day - window.first_day + 1
    for c in campaigns:
        lo, hi = c.span if c.span else (-math.inf, math.inf)
        c.start = window.history_start
        if lo > -math.inf:
            c.start = max(c.start, window.start + int(lo * n) * DAY)
        c.end = window.end
        if hi < math.inf:
            c.end = min(c.end, window.start + int(math.ceil(hi * n)) * DAY)


Choices = dict[str, list[tuple[Campaign, float]]]


def path_choices(campaigns: list[Campaign], window: Window, pre: bool) -> Choices:
    """For each path, the campaigns a newcomer may come through, with probabilities."""
    out: Choices = {}
    for path in PATHS:
        lo, hi = (window.history_start, window.start) if pre else (window.start, window.end)
        live = [(c, c.weight * max(0, min(hi, c.end) - max(lo, c.start))) for c in campaigns
                if path in c.paths and (c.pre or not pre)]
        live = [(c, w) for c, w in live if w > 0]
        total = sum(w for _, w in live)
        coded = 1.0 - UNCODED[path] if live else 0.0
        out[path] = [(c, coded * w / total) for c, w in live] if total else []
    return out


def expected_daily(campaigns: list[Campaign], window: Window, newcomers: float) -> None:
    """Expected in-window acquisitions per day per campaign, which sets the spend (spend ≈ CPA × that)."""
    total_w = sum(w[0] for w in PATHS.values())
    choices = path_choices(campaigns, window, pre=False)
    for c in campaigns:
        days = [d for d in window.days if c.start <= (d - window.first_day) * DAY + window.start < c.end]
        share = sum(PATHS[p][0] / total_w * prob
                    for p, opts in choices.items() for cc, prob in opts if cc is c)
        for d in days:
            c.daily_expected[d] = newcomers * share / len(days) + newcomers * c.budget_share


def spend_rows(campaigns: list[Campaign], rng: random.Random) -> list[tuple[int, list[str]]]:
    """ads/spend rows as (day, [date, platform, account_id, campaign_id, campaign_name, impressions,
    clicks, cost])."""
    from .clock import day_str

    rows = []
    for c in campaigns:
        if not c.platform:
            continue
        for d, expected in sorted(c.daily_expected.items()):
            for code in c.ad_codes:
                cost = expected * c.cpa / len(c.ad_codes) * math.exp(rng.gauss(0, 0.25))
                clicks = max(1, int(cost / rng.uniform(0.8, 2.5)))
                impressions = clicks * rng.randint(40, 120)
                rows.append((d, [day_str(d), c.platform, c.account_id, code, c.name, str(impressions),
                                 str(clicks), f"{cost:.2f}"]))
    return rows
