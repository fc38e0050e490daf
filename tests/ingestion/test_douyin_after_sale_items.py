"""Douyin's after-sales as afterSale.List returns them (its page, or its items one a line): the
after-sale nested under `aftersale_info`, its shop order under `order_info`, where sources.md
describes the after-sale flat. Both load as the same rows."""

import json
from datetime import date

from test_api_pages import DAY, business_rows
from test_loader_support import land, load, rows

from ingestion.contracts import get
from ingestion.read.json_pages import page_records


def douyin_after_sale_item(aftersale_id: str, shop_order_id: str, refund_status: int, update_time: int):
    """An afterSale.List item (op.jinritemai.com 售后列表; the fields of its `items` as the platform's Go
    SDK transcribes them): the after-sale under `aftersale_info`, its shop order under `order_info`."""
    return {
        "aftersale_info": {
            "aftersale_id": aftersale_id, "aftersale_order_type": 1, "aftersale_type": 2,
            "aftersale_status": 12, "related_id": f"{shop_order_id}1", "apply_time": 1716170000,
            "update_time": update_time, "refund_amount": 1990, "refund_post_amount": 0, "aftersale_num": 1,
            "refund_status": refund_status, "create_time": 1716170000, "remark": "", "store_id": 0,
            "reason_second_labels": [], "aftersale_tags": [], "order_logistics": []},
        "order_info": {"shop_order_id": shop_order_id, "order_flag": 0, "related_order_info": [
            {"sku_order_id": f"{shop_order_id}1", "order_status": 2, "pay_amount": 1990, "item_num": 1,
             "product_name": "体验装", "aftersale_pay_amount": 1990}]},
        "text_part": {"aftersale_status_text": "售后成功", "reason_text": "不想要了"},
        "seller_logs": [],
    }


def test_douyin_after_sales_as_list_items_or_pages(con, tmp_path):
    items = [douyin_after_sale_item("7370000000000000001", "4781320682406083640", 3, 1716180000),
             douyin_after_sale_item("7370000000000000002", "4781320682406083641", 1, 1716181000)]
    # the flat record sources.md describes, written by hand from the items above
    flat = [{"aftersale_id": "7370000000000000001", "order_id": "4781320682406083640", "aftersale_type": 2,
             "aftersale_status": 12, "refund_amount": 1990, "refund_status": 3, "create_time": 1716170000,
             "update_time": 1716180000},
            {"aftersale_id": "7370000000000000002", "order_id": "4781320682406083641", "aftersale_type": 2,
             "aftersale_status": 12, "refund_amount": 1990, "refund_status": 1, "create_time": 1716170000,
             "update_time": 1716181000}]
    page = {"code": 10000, "msg": "success", "sub_code": "", "sub_msg": "", "log_id": "2024052010000103",
            "data": {"items": items, "has_more": False, "total": 2, "page": 0, "size": 10}}
    deliveries = {DAY: ("flat.jsonl", flat), date(2024, 5, 21): ("items.jsonl", items),
                  date(2024, 5, 22): ("list.jsonl", [page])}
    for day, (name, records) in deliveries.items():
        land(tmp_path, "douyin", "after_sale", name, "".join(json.dumps(r) + "\n" for r in records), day)
        result = load(con, tmp_path, "douyin", "after_sale", day)
        assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0), name
    first = business_rows(con, "douyin", "after_sale", DAY)
    assert first == business_rows(con, "douyin", "after_sale", date(2024, 5, 21))
    assert first == business_rows(con, "douyin", "after_sale", date(2024, 5, 22))
    got = rows(con, "select order_id, refund_amount, refund_status from raw.douyin__after_sale "
               "where _business_date = '2024-05-22' order by aftersale_id")
    assert [(r["order_id"], str(r["refund_amount"]), r["refund_status"]) for r in got] == [
        ("4781320682406083640", "19.90", 3), ("4781320682406083641", "19.90", 1)]


def test_an_after_sale_item_without_its_order_lacks_order_id():
    (page,) = [p for p in get("douyin", "after_sale").pages if not p.path]
    got = page_records('{"aftersale_info":{"aftersale_id":"1"}}', (page,))
    assert got == ['{"aftersale_id":"1","order_id":null}']
    assert page_records('{"aftersale_id":"1","order_id":"2"}', (page,)) is None  # a flat record is no item
