"""Every page of the dashboard renders over the hand-built copy (tiny_copy.py), and shows the figures
worked out on paper from its rows — not what the dashboard's own code computes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = ["assets", "guides", "funnel", "rfm", "channels", "cohorts", "fission", "quality"]


def show(app, page: str):
    app.sidebar.radio(key="page").set_value(page).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    return app


def table(app, column: str):
    """The page's table with this column (its index's name counts too)."""
    found = [d.value for d in app.dataframe if column in {*d.value.columns, *d.value.index.names}]
    assert len(found) == 1, f"{len(found)} tables with a column {column!r} on the page"
    return found[0]


def chart_steps(app, step: str) -> list[float]:
    """The values of the chart holding a bar named `step` (its data as the browser receives it)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    for chart in app.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            data = convert_arrow_bytes_to_pandas_df(dataset.data.data)
            if "step" in data and step in set(data["step"]):
                return data["value"].tolist()
    raise AssertionError(f"no chart with a bar {step!r}")


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_every_page_renders_with_a_bilingual_title(app):
    for page in PAGES:  # one app through every page, as an operator clicks along the sidebar
        title = show(app, page).header[0].value
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), page  # Chinese
        assert any(ch.isascii() and ch.isalpha() for ch in title), page  # and English beside it


def test_the_asset_statement_balances_over_the_loaded_days(app):
    show(app, "assets")
    statement = table(app, "期初 Opening")
    # WeCom: opening of 10-01 is 10; added 3 + 2 + 1 + 5 = 11; lost 1 + 0 + 4 + 2 = 7; closing of 10-04 is 14
    assert statement.loc["企业微信 WeCom"].tolist() == [10, 11, 7, 14]
    # any: 20, 4 + 3 + 2 + 6 = 15, 2 + 1 + 5 + 3 = 11, 24 (the month row of 999 is never read)
    assert statement.loc["任一触点 Any touchpoint"].tolist() == [20, 15, 11, 24]
    assert list(statement.columns) == ["期初 Opening", "新增 Added", "流失 Lost", "期末 Closing"]


def test_the_guides_friendships_balance_with_transfers(app):
    show(app, "assets")
    # both guides: opening 5 + 4; added 2 + 1 + 0 + 1; in 2; lost by customer 1 + 1; by guide 1; out 1;
    # closing 8 + 3 (9 + 4 + 2 − 2 − 1 − 1 = 11)
    assert chart_steps(app, "转入 Transferred in") == [9, 4, 2, 2, 1, 1, 11]
    app.sidebar.selectbox(key="guide").set_value("g_li")
    show(app, "assets")  # g_li: 5 + (2 + 1) + 2 − 1 − 1 − 0 = 8
    assert chart_steps(app, "转入 Transferred in") == [5, 3, 2, 1, 1, 0, 8]


def test_customers_held_now_count_the_six_customers(app):
    show(app, "assets")
    # c1 … c6: five reachable (not c5); WeCom c1 c2 c4; OA c2 c3; groups c3 c6
    assert metrics(app) == {"客户数 Customers": "6", "可触达 Reachable": "5", "企业微信 WeCom": "3",
                            "公众号 Official Account": "2", "社群 Groups": "2"}


def test_the_leaderboard_shows_the_four_factors_and_their_product(app):
    show(app, "guides")
    board = table(app, "营销传递率 Delivery rate")
    assert board["导购 Guide"].tolist() == ["g_wang", "g_li", "g_zhao"]  # October, by revenue
    product = board["私域业绩 Touched net revenue"].tolist()
    assert product[:2] == [1800.00, 1500.00]  # 25 × 0.8 × 0.25 × 360; 40 × 0.75 × 0.2 × 250
    assert math.isnan(product[2])  # g_zhao reached nobody: no rates, no product
    assert board["客群资产数 Customer assets"].tolist() == [25, 40, 0]


def test_september_is_another_month_of_the_leaderboard(app):
    show(app, "guides")
    app.selectbox(key="month").set_value(app.selectbox(key="month").options[1]).run()
    board = table(app, "营销传递率 Delivery rate")
    assert board["导购 Guide"].tolist() == ["g_li"]
    assert board["私域业绩 Touched net revenue"].tolist() == [99.00]  # 10 × 0.5 × 0.2 × 99


def test_the_funnel_converts_step_by_step(app):
    show(app, "funnel")
    funnel = table(app, "步骤 Step").set_index("步骤 Step")
    # acquired c1–c6; pooled all but c5; fission c1 c3; first purchase c1 c2 c4 c6; repurchase c1 c4;
    # referral c4
    assert funnel["客户数 Customers"].tolist() == [6, 5, 2, 4, 2, 1]
    conversion = funnel["上一步转化率 Conversion from previous"]
    assert math.isnan(conversion.iloc[0])
    # pooled 5/6; fission 2/5 (of pooled); first purchase 4/5 (of pooled: fission gates nothing);
    # repurchase 2/4; referral 1/2
    assert conversion.iloc[1:].tolist() == pytest.approx([5 / 6, 2 / 5, 4 / 5, 2 / 4, 1 / 2])
    assert funnel.loc["首单 first_purchase", "累计转化率 Conversion from start"] == pytest.approx(4 / 6)


def test_the_rfm_grid_and_the_pareto_headline(app):
    show(app, "rfm")
    grid = table(app, "价值 R高F高 Value R+F+")
    # as of 10-04: 重要价值客户 c1 c4, 一般发展客户 c2, 一般挽留客户 c6
    assert grid.loc["重要 (M高) Important (M high)"].tolist() == [2, 0, 0, 0]
    assert grid.loc["一般 (M低) Ordinary (M low)"].tolist() == [0, 1, 0, 1]
    shown = metrics(app)
    assert shown["购买客户 Buyers"] == "4" and shown["超级用户 Super users"] == "2"
    assert shown["前 20% 客户的收入占比 Revenue share of the top 20%"] == "57.5%"  # 500 / 870


def test_channel_cac_is_spend_over_new_customers_across_months(app):
    show(app, "channels")
    totals = table(app, "合计获客成本 CAC over the months").set_index("渠道 Channel")
    # oceanengine: 1,000 + 500 + 300 = 1,800 元 for 8 + 2 + 0 = 10 customers: 180 元 each
    assert totals.loc["oceanengine"].tolist() == [1800.00, 10, 180.00]
    assert totals.loc["store_qr"].tolist() == [0.00, 3, 0.00]  # no spend: 0 元 each, as the mart says
    assert len(table(app, "活动 Campaign")) == 4


def test_cohorts_show_every_month_since_acquisition(app):
    show(app, "cohorts")
    cohorts = table(app, "购买率 Purchasing rate")
    assert cohorts["购买率 Purchasing rate"].tolist() == [0.4, 0.2, 0.2]


def test_fission_shows_each_campaigns_k_factor_and_its_generations(app):
    show(app, "fission")
    campaigns = table(app, "K 因子 K-factor").set_index("活动 Campaign")
    assert list(campaigns.index) == ["fx_a", "mp_share"]  # fx_old invited nobody in the dates
    assert campaigns["K 因子 K-factor"].tolist() == pytest.approx([6 / 4, 2 / 3])
    # fx_a: four invitees in generation 1 (the self-invitation never counts), three in generation 2
    assert table(app, "代际 Generation 1").loc["fx_a"].tolist() == [4, 3]


def test_quality_shows_the_latest_checks_and_the_quarantine_in_the_dates(app):
    show(app, "quality")
    shown = metrics(app)
    assert (shown["通过 Passed"], shown["警告 Warned"], shown["阻断 Failed, blocking"]) == ("3", "2", "0")
    assert shown["隔离行数 Quarantined rows"] == "10"  # 3 + 4 + 1 + 2; the 08-15 rows are outside
    checks = table(app, "检查 Check")
    assert sorted(zip(checks["数据表 Source table"], checks["检查 Check"], strict=True)) == [
        ("mp/event", "quarantine_share"), ("youzan/trade", "volume")]
    quarantine = table(app, "原因 Reason").set_index(["数据表 Source table", "原因 Reason"])
    assert quarantine.loc[("mp/event", "unknown_enum_value")].tolist() == [3, 7]  # files 1 + 2, rows 3 + 4


def test_a_night_with_every_check_passed_says_so_instead_of_an_empty_table(tiny_copy, tmp_path, monkeypatch):
    import shutil

    import duckdb
    from streamlit.testing.v1 import AppTest

    copy = shutil.copy(tiny_copy, tmp_path / "passed.published.duckdb")
    with duckdb.connect(str(copy)) as con:
        con.execute("update quality.check_summary set status = 'passed', failed_rules = 0")
    monkeypatch.setenv("SIYU_DASHBOARD_PUBLISHED", str(copy))
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    show(app, "quality")
    assert [s.value for s in app.success] == ["所有检查通过 Every check passed"]
    assert metrics(app)["通过 Passed"] == "5" and all(not d.value.empty for d in app.dataframe)
