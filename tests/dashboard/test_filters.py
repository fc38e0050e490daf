"""The sidebar's dates, store and guide (and a page's own choices) change the figures as worked out on
paper from tiny_copy.py's rows."""

from __future__ import annotations

from datetime import date

import pytest
from test_pages import chart_steps, metrics, show, table


def choose(app, key: str, value, page: str):
    """Set a sidebar filter, then show the page."""
    widget = app.sidebar.date_input(key=key) if key == "dates" else app.sidebar.selectbox(key=key)
    widget.set_value(value)
    return show(app, page)


def test_dates_narrow_the_asset_statement(app):
    choose(app, "dates", (date(2026, 10, 2), date(2026, 10, 3)), "assets")
    statement = table(app, "期初 Opening")
    assert statement.loc["企业微信 WeCom"].tolist() == [12, 3, 4, 11]  # 10-02's opening, 2+1, 0+4, 10-03's
    assert statement.loc["任一触点 Any touchpoint"].tolist() == [22, 5, 6, 21]


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("store", "S01", ["3", "3", "2", "2", "1"]),  # c1 c2 c3: all reachable; WeCom c1 c2, OA c2 c3, group c3
    ("guide", "g_wang", ["2", "2", "1", "1", "1"]),  # c3 c4: WeCom c4, OA c3, group c3
])
def test_store_and_guide_narrow_the_customers_held(app, key, value, expected):
    choose(app, key, value, "assets")
    assert list(metrics(app).values()) == expected


def test_a_guide_narrows_the_leaderboard(app):
    choose(app, "guide", "g_li", "guides")
    assert table(app, "营销传递率 Delivery rate")["私域业绩 Touched net revenue"].tolist() == [1500.00]


def test_a_store_narrows_the_guides_to_the_guides_of_that_store(app):
    choose(app, "store", "S02", "guides")  # g_wang works in S02; g_zhao is in no store
    board = table(app, "营销传递率 Delivery rate")
    assert board["导购 Guide"].tolist() == ["g_wang"]
    assert board["私域业绩 Touched net revenue"].tolist() == [1800.00]
    show(app, "assets")  # g_wang's book: 4 + 1 + 0 − 1 − 0 − 1 = 3
    assert chart_steps(app, "转入 Transferred in") == [4, 1, 0, 1, 0, 1, 3]


@pytest.mark.parametrize(("key", "value", "counts"), [
    # acquired on 10-01 … 10-04 in Beijing: c2 (00:30 on 10-01) is in, c6 (23:30 on 09-30) is out
    ("dates", (date(2026, 10, 1), date(2026, 10, 4)), [5, 4, 2, 3, 2, 1]),
    ("store", "S01", [3, 3, 2, 2, 1, 0]),  # c1 c2 c3
    ("funnel_channel", "mp", [2, 2, 1, 1, 1, 1]),  # c3 c4
])
def test_filters_narrow_the_funnel(app, key, value, counts):
    if key == "funnel_channel":
        show(app, "funnel").selectbox(key=key).set_value(value).run()
    else:
        choose(app, key, value, "funnel")
    funnel = table(app, "步骤 Step")
    assert funnel["客户数 Customers"].tolist() == counts
    if key == "dates":  # first purchase c1 c2 c4 of pooled c1 c2 c3 c4
        assert funnel["上一步转化率 Conversion from previous"].iloc[3] == pytest.approx(3 / 4)


def test_a_store_narrows_the_rfm_grid_and_a_date_picks_the_snapshot(app):
    choose(app, "store", "S01", "rfm")  # c1 重要价值客户 (a super user), c2 一般发展客户
    grid = table(app, "价值 R高F高 Value R+F+")
    assert grid.values.tolist() == [[1, 0, 0, 0], [0, 1, 0, 0]]
    assert (metrics(app)["购买客户 Buyers"], metrics(app)["超级用户 Super users"]) == ("2", "1")
    app.selectbox(key="as_of").set_value(date(2026, 9, 30)).run()  # c1 was 重要发展客户 then
    assert table(app, "价值 R高F高 Value R+F+").values.tolist() == [[0, 1, 0, 0], [0, 0, 0, 0]]


def test_dates_narrow_channels_cohorts_fission_and_quarantine(app):
    choose(app, "dates", (date(2026, 10, 2), date(2026, 10, 3)), "channels")
    totals = table(app, "合计获客成本 CAC over the months")
    # October's cohorts only: 1,000 + 500 元 for 8 + 2 customers; store_qr had only September
    assert totals.values.tolist() == [["oceanengine", 1500.00, 10, 150.00]]
    assert len(table(show(app, "cohorts"), "购买率 Purchasing rate")) == 1
    assert table(show(app, "fission"), "K 因子 K-factor")["活动 Campaign"].tolist() == ["fx_a", "mp_share"]
    assert metrics(show(app, "quality"))["隔离行数 Quarantined rows"] == "5"  # 10-03: 4 + 1
    choose(app, "dates", (date(2026, 10, 3), date(2026, 10, 4)), "fission")
    assert table(app, "K 因子 K-factor")["活动 Campaign"].tolist() == ["fx_a"]  # mp_share ended 10-02
