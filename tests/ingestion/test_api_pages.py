"""API responses stored whole, a page per line or one page per `.json` file, load as the records they
hold: the same raw rows as the documented payloads stored one record per line
(tests/fixtures/documented, whose README cites each reference page). Each envelope below is written
from the platform's reference: the keys around the records, and where the records sit.
"""

import json
from datetime import date
from pathlib import Path

import pytest
from test_loader_support import land, load, rows

from ingestion.contracts import Page, get
from ingestion.read.json_pages import page_records

DOCUMENTED = Path(__file__).resolve().parents[1] / "fixtures" / "documented"
DAY = date(2024, 5, 20)
PAGE = 2  # records per page: every fixture spans more than one page, the last one short


def wecom_batch_get_by_user(items, last):
    """externalcontact/batch/get_by_user (developer.work.weixin.qq.com/document/path/92994)."""
    cursor = "" if last else "r9FqSqsI8fgNbHLHE5QoCP50UIg2cFQbfma3l2QsmwI"
    return {"errcode": 0, "errmsg": "ok", "external_contact_list": items, "next_cursor": cursor}


def oa_user_info_batchget(items, last):
    """cgi-bin/user/info/batchget (developers.weixin.qq.com, 批量获取用户基本信息): no errcode on success."""
    return {"user_info_list": items}


def youzan_trades_sold_get(items, last):
    """youzan.trades.sold.get 4.0.x: the orders under data.full_order_info_list."""
    return {
        "trace_id": "yz7-0a1b2c3d-1716174000",
        "code": 200,
        "success": True,
        "message": "successful",
        "data": {"total_results": 4, "full_order_info_list": items},
    }


def douyin_order_search_list(items, last):
    """order.searchList (op.jinritemai.com/docs/api-docs/15/1342): data.shop_order_list, page from 0."""
    return {
        "code": 10000,
        "msg": "success",
        "sub_code": "",
        "sub_msg": "",
        "log_id": "2024052010000101",
        "data": {"shop_order_list": items, "page": 0, "size": PAGE, "total": 2},
    }


def oceanengine_clue_get(items, last):
    """GET /open_api/2/tools/clue/get/: data.list beside data.page_info."""
    return {
        "code": 0,
        "message": "OK",
        "request_id": "20240520101010010212345678",
        "data": {
            "list": items,
            "page_info": {"page": 1, "page_size": PAGE, "total_number": 1, "total_page": 1},
        },
    }


ENVELOPES = {
    ("wecom", "external_contact"): wecom_batch_get_by_user,
    ("oa", "user"): oa_user_info_batchget,
    ("youzan", "trade"): youzan_trades_sold_get,
    ("douyin", "order"): douyin_order_search_list,
    ("leads", "oceanengine"): oceanengine_clue_get,
}
# Detail APIs answering one record under `data`: youzan.trade.get, order.orderDetail
ONE_RECORD = {
    ("youzan", "trade"): lambda r: {
        "success": True,
        "code": 200,
        "message": "successful",
        "trace_id": "yz7-0a1b2c3d-1716174001",
        "data": r,
    },
    ("douyin", "order"): lambda r: {
        "code": 10000,
        "msg": "success",
        "sub_code": "",
        "sub_msg": "",
        "log_id": "2024052010000102",
        "data": {"shop_order_detail": r},
    },
}


def documented(source: str, entity: str) -> list[dict]:
    (path,) = (DOCUMENTED / source / entity / DAY.isoformat()).iterdir()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pages(source: str, entity: str) -> list[dict]:
    records, wrap = documented(source, entity), ENVELOPES[(source, entity)]
    cuts = range(0, len(records), PAGE)
    return [wrap(records[i : i + PAGE], i + PAGE >= len(records)) for i in cuts]


def business_rows(con, source: str, entity: str, day: date) -> list[tuple]:
    c = get(source, entity)
    cols = ", ".join(f'"{n}"' for n in c.column_names())
    got = rows(con, f"select {cols} from raw.{source}__{entity} where _business_date = '{day}'")
    return sorted(tuple(json.dumps(v, sort_keys=True, default=str) for v in r.values()) for r in got)


def loaded_both_ways(con, tmp_path, source, entity, content: str, name: str, records=None):
    """The documented records one per line on one day, the same records in pages on the next."""
    records = documented(source, entity) if records is None else records
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    land(tmp_path, source, entity, "items.jsonl", lines, DAY)
    land(tmp_path, source, entity, name, content, date(2024, 5, 21))
    one = load(con, tmp_path, source, entity, DAY)
    two = load(con, tmp_path, source, entity, date(2024, 5, 21))
    return one, two


@pytest.mark.parametrize("source,entity", sorted(ENVELOPES))
def test_a_page_per_line_loads_its_records(con, tmp_path, source, entity):
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages(source, entity))
    one, two = loaded_both_ways(con, tmp_path, source, entity, text, "pages.jsonl")
    n = len(documented(source, entity))
    assert (one.rows_offered, one.rows_loaded, one.quarantined) == (n, n, 0)
    assert (two.rows_offered, two.rows_loaded, two.quarantined) == (n, n, 0)
    assert business_rows(con, source, entity, DAY) == business_rows(con, source, entity, date(2024, 5, 21))


@pytest.mark.parametrize("source,entity", sorted(ENVELOPES))
def test_pages_as_a_json_array_or_one_pretty_printed_page(con, tmp_path, source, entity):
    array = json.dumps(pages(source, entity), ensure_ascii=False, indent=2)
    one, two = loaded_both_ways(con, tmp_path, source, entity, array, "pages.json")
    assert (two.rows_offered, two.rows_loaded, two.quarantined) == (one.rows_loaded, one.rows_loaded, 0)
    assert business_rows(con, source, entity, DAY) == business_rows(con, source, entity, date(2024, 5, 21))
    records = documented(source, entity)
    whole = json.dumps(ENVELOPES[(source, entity)](records, True), ensure_ascii=False, indent=2)
    land(tmp_path, source, entity, "page.json", whole, date(2024, 5, 22))
    three = load(con, tmp_path, source, entity, date(2024, 5, 22))
    assert (three.rows_offered, three.rows_loaded, three.quarantined) == (len(records), len(records), 0)


@pytest.mark.parametrize("source,entity", sorted(ONE_RECORD))
def test_a_detail_response_per_line_is_its_record(con, tmp_path, source, entity):
    wrap = ONE_RECORD[(source, entity)]
    text = "".join(json.dumps(wrap(r), ensure_ascii=False) + "\n" for r in documented(source, entity))
    one, two = loaded_both_ways(con, tmp_path, source, entity, text, "details.jsonl")
    assert (two.rows_offered, two.rows_loaded, two.quarantined) == (one.rows_loaded, one.rows_loaded, 0)
    assert business_rows(con, source, entity, DAY) == business_rows(con, source, entity, date(2024, 5, 21))


def test_wecom_get_gives_a_record_per_employee_following(con, tmp_path):
    """externalcontact/get (document/path/92114): one `external_contact` and its `follow_user` list,
    whose items carry `tags` objects (an enterprise tag's `tag_id`; a personal tag, type 2, has none)
    where batch/get_by_user's `follow_info` carries `tag_id` strings."""
    records = documented("wecom", "external_contact")
    second = json.loads(json.dumps(records[1]))  # a second employee following the same customer
    second["follow_info"].update(
        userid="zhangsan", createtime=1716177600, add_way=201, tag_id=["etAJ2GCAAAXtWyujaWJHDDGi0mACHCCC"]
    )
    records.insert(2, second)
    customers: dict[str, dict] = {}
    for r in records:
        follow = dict(r["follow_info"])
        tags = [
            {"group_name": "客户等级", "tag_name": f"标签{t}", "tag_id": t, "type": 1}
            for t in follow.pop("tag_id", [])
        ]
        follow["tags"] = [*tags, {"group_name": "", "tag_name": "老客户", "type": 2}]
        page = customers.setdefault(
            r["external_contact"]["external_userid"],
            {"errcode": 0, "errmsg": "ok", "external_contact": r["external_contact"], "follow_user": []},
        )
        page["follow_user"].append(follow)
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in customers.values())
    assert len(customers) == 5 and len(records) == 6
    one, two = loaded_both_ways(con, tmp_path, "wecom", "external_contact", text, "get.jsonl", records)
    assert (two.rows_offered, two.rows_loaded, two.quarantined) == (6, 6, 0)
    day_one = business_rows(con, "wecom", "external_contact", DAY)
    assert day_one == business_rows(con, "wecom", "external_contact", date(2024, 5, 21))
    tags = rows(
        con,
        "select userid, tag_ids from raw.wecom__external_contact where _business_date = '2024-05-21'"
        " and external_userid = 'woAJ2GCAAAXtWyujaWJHDDGi0mACHBBB' order by userid",
    )
    assert [(r["userid"], json.loads(r["tag_ids"])) for r in tags] == [
        ("lisi", ["etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA", "stJHDDGi0mAGi0mACHBBByujaW"]),
        ("zhangsan", ["etAJ2GCAAAXtWyujaWJHDDGi0mACHCCC"]),
    ]


def test_youzan_refund_detail(con, tmp_path):
    """youzan.trade.refund.get: the refund's fields flat under `data`, beside the response's own."""
    refund = {
        "refund_id": "201905201234560001",
        "tid": "E20240520101500012345678",
        "oid": "1548826611380000",
        "status": "SUCCESS",
        "refund_fee": "19.90",
        "created": "2024-05-20 11:00:00",
        "modified": "2024-05-20 15:30:00",
        "reason": 11,
        "desc": "",
        "version": 1716190200,
        "refund_type": 1,
        "return_goods": False,
        "cs_status": 1,
    }
    page = {"success": True, "code": 200, "message": "successful", "data": refund}
    land(tmp_path, "youzan", "refund", "items.jsonl", json.dumps(refund) + "\n", DAY)
    land(tmp_path, "youzan", "refund", "refund_get.json", json.dumps(page, indent=2), date(2024, 5, 21))
    for day in (DAY, date(2024, 5, 21)):
        result = load(con, tmp_path, "youzan", "refund", day)
        assert (result.rows_offered, result.rows_loaded) == (1, 1)
    assert business_rows(con, "youzan", "refund", DAY) == business_rows(
        con, "youzan", "refund", date(2024, 5, 21)
    )


def test_a_record_naming_a_page_key_in_its_text_is_a_record(con, tmp_path):
    (record, *_) = documented("wecom", "external_contact")
    record["follow_info"]["description"] = 'asked about "external_contact_list": [] in the API'
    land(tmp_path, "wecom", "external_contact", "items.jsonl", json.dumps(record) + "\n", DAY)
    result = load(con, tmp_path, "wecom", "external_contact", DAY)
    assert (result.rows_offered, result.rows_loaded) == (1, 1)


def test_page_records_takes_the_first_path_found():
    pages_ = (Page("data.list"), Page("data"))
    assert page_records('{"code":0,"data":{"list":[{"a":1},{"a":2}],"page_info":{"page":1}}}', pages_) == [
        '{"a":1}',
        '{"a":2}',
    ]
    assert page_records('{"code":0,"data":{"a":12.50,"b":123456789012345678901}}', pages_) == [
        '{"a":12.5,"b":123456789012345678901}'
    ]
    assert page_records('{"code":0,"data":{"list":[]}}', pages_) == []
    # an item that is no object stays a record of its own (quarantined), the others load
    assert page_records('{"data":{"list":[{"a":1},null,"x"]}}', pages_) == ['{"a":1}', "null", '"x"']
    # not a page: a list of other things, a record without the keys, not JSON at all
    assert page_records('{"data":{"list":[1,2]}}', (Page("data.list"),)) is None
    assert page_records('{"a":1}', pages_) is None
    assert page_records('{"data":', pages_) is None
    assert page_records('[{"data":{}}]', pages_) is None


def test_a_page_with_an_item_that_is_no_object_loses_only_that_item(con, tmp_path):
    records = documented("oa", "user")
    page = {"user_info_list": [records[0], None, *records[1:]]}
    land(tmp_path, "oa", "user", "batchget.jsonl", json.dumps(page) + "\n", DAY)
    result = load(con, tmp_path, "oa", "user", DAY)
    n = len(records)
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (n + 1, n, 1)
    assert result.reasons == {"unparseable_record": 1}


def test_a_group_chat_response_stored_whole_is_its_record(con, tmp_path):
    (path,) = (DOCUMENTED / "wecom" / "group_chat" / DAY.isoformat()).iterdir()
    response = json.loads(path.read_text(encoding="utf-8"))
    assert response["errcode"] == 0 and "group_chat" in response  # groupchat/get's whole response
    text = json.dumps(response, ensure_ascii=False) + "\n"
    land(tmp_path, "wecom", "group_chat", "groups.jsonl", text, DAY)
    result = load(con, tmp_path, "wecom", "group_chat", DAY)
    assert (result.rows_offered, result.rows_loaded) == (1, 1)
