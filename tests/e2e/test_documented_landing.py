"""A brand whose landing is nothing but the platforms' documented payloads (tests/fixtures/documented,
one day, 2024-05-20) plus the four org CSVs below runs to a published copy, and its marts say what
the payloads say. The expectations are worked out by hand from the fixture files and the specs.

The people in the payloads (Beijing times):
  A  WeCom friend wmqfasd1e19278asdasAAAA of zhangsan from 10:00 (add event and snapshot, state
     `teststate` → store_qr / C_STORE); zhangsan saved 15898999998 as remark mobile, the phone of
     Youzan buyer LnhGm… (E…0001, WAIT_BUYER_PAY with a pay_time: not paid; E…6202 paid at 16:00,
     69.90 元 with 10.00 shipping, while A was a friend) and of Ocean Engine clue …029 at 13:00.
  B  wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA, external member of employee ZhuShengBen's group. Its unionid is
     also on the type-2 contact woAJ…HAAA: two external_userids of one corp never join, so B is a
     customer of its own and the type-2 contact none.
  C  wmqfasd1e1927831291723123109rAAA, moved from rocky to jack at 15:00 (DELETE_BY_TRANSFER, then
     add_way 201): a transfer, not a new friendship; unionid oR5Gjj… = OA follower otvxTs4d… since
     08:00, C's first touch (qr_scene_str "": channel oa).
  D  wm-BdEBg… friend of lisi from 09:00; deleted lisi at 20:00 (the event wins over the snapshot).
  E  OA follower o6_bmjrP… since 07:00.      F  OA otvxTs_J…, subscribed 12:00, unsubscribed 18:00.
  G  Youzan lDWy… (encrypted phone): E…6201 in two versions, TRADE_SUCCESS, 139.14 元.
  H  Douyin #zuLyd…: status 3 (shipped), 500 分 = 5.00 元.   I  Douyin 1@#Vrt…: unpaid (status 1).
  J  clue …028, phone 18612345678, promotion 7369021654398763017 → douyin_ads / C_618.
Not customers: the type-2 contacts woAJ…HAAA and woAJ…HBBB, the employees. No mini program data
landed, so no one is a mini program user (Youzan's outer_user_id alone makes no one one).
"""

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.pipeline import run_pipeline
from orchestration.publish import published_id

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("no_night_workers")]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documented"
DAY, SALT = "2024-05-20", "documented-landing-salt"
ORG = {
    "employee": "userid,name,store_code,role,pos_cashier_code,mobile,status\n"
    + "".join(f"{u},{n},S001,{r},,,active\n" for u, n, r in [
        ("zhangsan", "张三", "guide"), ("lisi", "李四", "guide"), ("rocky", "罗奇", "manager"),
        ("jack", "杰克", "guide"), ("ZhuShengBen", "朱胜本", "guide"), ("abel", "亚伯", "service"),
        ("XuJinSheng", "徐金生", "guide"), ("icefog", "冰雾", "service")]),
    "store": "store_code,store_name,city,region,open_date\nS001,西湖旗舰店,杭州,华东,2020-01-01\n",
    "channel_code": "code,channel,campaign_id,campaign_name,description\n"
    "teststate,store_qr,C_STORE,门店二维码,联系我二维码\n7369021654398763017,douyin_ads,C_618,618体验装投放,\n",
    "product": "sku,title,category,list_price,is_trial\n13323,宜家水杯,cup,1.00,false\n"
    "8001,测试001,cup,59.90,false\n8002,测试002,cup,59.00,false\ndjfafj,衣服,apparel,3.00,false\n",
}
# each person by one identifier of theirs (the rest are found through marts.identity_map)
PEOPLE = {
    "A": "wmqfasd1e19278asdasAAAA", "B": "wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA",
    "C": "wmqfasd1e1927831291723123109rAAA", "D": "wm-BdEBgAAt38cKM0-gCp6I7YTvHeFVw",
    "E": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "F": "otvxTs_JZ6SEiP0imdhpi50fuSZg",
    "G": "lDWyZBas807636140352864256",
    "H": "#zuLyd4U4J3p+czzXkwg+ZQ673h7KTcrKOddb5iPGAAE0K3MYJmgXEXof9LDtoScAfMKvdVRqpAL4CEI3SrLwYATIzTF9Qw==",
    "I": "1@#VrtJKX59ewuPyvUhIKiAtxNZ0wt2BBDARCd6qdLmaBiz59YmNzPgpz+KC0B+R/RJTQJ3GRv5",
    "J": "7370427196432384028",
}


@pytest.fixture(scope="module")
def brand(tmp_path_factory, brand_env):
    from dagster import DagsterInstance

    root = tmp_path_factory.mktemp("documented")
    landing = root / "landing"
    for source in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        shutil.copytree(source, landing / source.name)
    for entity, text in ORG.items():
        path = landing / "org" / entity / DAY / f"{entity}.csv"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    settings = brand_env(landing, root, SALT)
    with DagsterInstance.ephemeral() as instance:
        ok = run_pipeline(settings, instance=instance)
    return {"ok": ok, "settings": settings}


@pytest.fixture(scope="module")
def marts(brand):
    """The published copy, and each person's customer_id found through marts.identity_map."""
    assert brand["ok"], "the run over the documented landing failed"
    con = duckdb.connect(str(brand["settings"].published), read_only=True)
    ids = dict(con.execute("select id_value, customer_id from marts.identity_map").fetchall())
    yield con, {who: ids.get(_published(value)) for who, value in PEOPLE.items()}
    con.close()


def _published(value: str) -> str:
    """An identifier as the published copy shows it (a keyed hash; README, "What BI users receive")."""
    return published_id(value, SALT.encode())


def assets(con, column: str) -> dict:
    return dict(con.execute(f"select customer_id, {column} from marts.user_assets").fetchall())


def test_the_documented_landing_loads_whole_and_publishes(brand):
    assert brand["ok"]
    with duckdb.connect(str(brand["settings"].warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw._quarantine").fetchone()[0] == 0
        # 37 payload records and 15 org rows
        loaded = con.execute("select sum(rows_loaded), sum(quarantined) from raw._load_log").fetchone()
        assert loaded == (52, 0)
    assert brand["settings"].published.is_file()


def test_customers_are_the_people_the_payloads_name(marts):
    con, who = marts
    customers = set(assets(con, "customer_id"))
    assert len(customers) == 10 and set(who.values()) == customers
    named = {"LnhGm4rh576452722916618240": "A", "7370427196432384029": "A",
             "otvxTs4dckWG7imySrJd6jSi0CWE": "C"}
    links = con.execute(
        "select id_value, customer_id from marts.identity_map where id_value in (?, ?, ?)",
        [_published(v) for v in named],
    ).fetchall()
    assert dict(links) == {_published(v): who[p] for v, p in named.items()}
    other_corp = con.execute(
        "select count(*) from marts.identity_map join marts.user_assets using (customer_id) "
        "where id_value in (?, ?)",
        [_published("woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA"), _published("woAJ2GCAAAXtWyujaWJHDDGi0mACHBBB")],
    ).fetchone()[0]
    assert other_corp == 0


def test_who_can_be_reached_at_the_end_of_the_day(marts):
    con, who = marts
    name = {c: p for p, c in who.items()}
    friends = {name[c]: g for c, g in assets(con, "primary_guide_userid").items() if g}
    assert friends == {"A": "zhangsan", "C": "jack"}
    assert {name[c] for c, f in assets(con, "is_wecom_friend").items() if f} == {"A", "C"}
    assert {name[c] for c, f in assets(con, "is_oa_follower").items() if f} == {"C", "E"}
    lost = {name[c]: at for c, at in assets(con, "lost_at").items() if at is not None}
    assert lost == {"D": datetime(2024, 5, 20, 12, tzinfo=UTC), "F": datetime(2024, 5, 20, 10, tzinfo=UTC)}


def test_a_group_member_is_reachable_though_a_type_2_contact_shares_its_unionid(marts):
    con, who = marts
    name = {c: p for p, c in who.items()}
    assert who["B"] in assets(con, "customer_id")
    assert {name[c] for c, f in assets(con, "is_group_member").items() if f} == {"B"}
    touchpoints = {name[c]: n for c, n in assets(con, "reachable_touchpoints").items() if n}
    assert touchpoints == {"A": 1, "B": 1, "C": 2, "E": 1}
    (groups,) = con.execute(
        "select customer_asset_count from marts.guide_assets_daily where userid = 'ZhuShengBen'"
    ).fetchone()
    assert groups == 1


def test_no_one_is_a_mini_program_user(marts):
    con, _ = marts
    assert not any(assets(con, "is_mp_user").values())


def test_only_paid_orders_are_revenue(marts):
    con, who = marts
    name = {c: p for p, c in who.items()}
    got = {name[c]: (n, r) for c, n, r in con.execute(
        "select customer_id, orders_count, net_revenue from marts.user_assets where orders_count > 0"
    ).fetchall()}
    # A's WAIT_BUYER_PAY order (110.99 元, with a pay_time) is no purchase; I never paid
    assert got == {"A": (1, Decimal("69.90")), "G": (1, Decimal("139.14")), "H": (1, Decimal("5.00"))}
    assert con.execute("select sum(net_revenue) from marts.user_assets").fetchone()[0] == Decimal("214.04")


def test_the_day_in_daily_kpis(marts):
    con, _ = marts
    cur = con.execute(
        "select new_customers, new_wecom_friendships, lost_by_customer, lost_by_guide, interaction_rate, "
        "purchases, net_revenue, private_domain_net_revenue from marts.daily_kpis where business_date = ?",
        [DAY],
    )
    # new friendships: A and D (C's is a transfer); lost by customer: D (rocky's delete was the
    # transfer); interaction: A wrote to zhangsan, A and C are the friends at day end; only A was
    # reachable when paying
    assert cur.fetchall() == [(10, 2, 1, 0, 0.5, 3, Decimal("214.04"), Decimal("69.90"))]


def test_acquisition_channels(marts):
    con, who = marts
    got = {c: (ch, camp) for c, ch, camp in con.execute(
        "select customer_id, acquisition_channel, acquisition_campaign from marts.user_assets"
    ).fetchall()}
    assert got[who["A"]] == ("store_qr", "C_STORE")  # the 10:00 friend add beats the 11:00 order
    assert got[who["J"]] == ("douyin_ads", "C_618")
    assert got[who["C"]] == ("oa", None)


PLANTED = (
    "360926201606060020", "18051096336", "熊茉莉", "15899898989", "学院路8888号", "刘德华", "尽快发货",
    "丹棱街1号", "12345678911", "王语嫣", "顾客老王", "张三丰", "文明沟通", "李部长", "对接采购事务",
    "欢迎光临小店", "chen_wx_2024", "西湖区文三路90号", "陈先生", "15898999998", "18612345678", "13800000001",
)


@pytest.mark.parametrize("copy", ["warehouse", "published"])
def test_personal_data_in_the_payloads_is_stored_nowhere(brand, copy):
    with duckdb.connect(str(getattr(brand["settings"], copy)), read_only=True) as con:
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') or data_type like '%[]'"
        ).fetchall():
            sql = f'select string_agg("{column}"::varchar, \' \') from "{schema}"."{table}"'
            text = con.execute(sql).fetchone()[0] or ""
            assert not [p for p in PLANTED if p in text], f"{schema}.{table}.{column}"
