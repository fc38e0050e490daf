"""API error responses stored where records would be (a collector that writes what a failed call
returned): quarantined `api_error_response`, naming the platform's code and message, so an expired
token or a rate limit is seen for what it is. Each response is in the shape its platform documents."""

import json

import pytest
from test_api_pages import DAY, DOCUMENTED, documented, wecom_batch_get_by_user
from test_loader_support import land, load, rows


def test_an_error_response_is_quarantined_and_an_empty_page_holds_nothing(con, tmp_path):
    records = documented("wecom", "external_contact")
    error = {"errcode": 40001, "errmsg": "invalid credential, hint: [1716174000_1234]"}
    empty = wecom_batch_get_by_user([], True)
    text = "".join(json.dumps(p) + "\n" for p in [wecom_batch_get_by_user(records, False), error, empty])
    land(tmp_path, "wecom", "external_contact", "pages.jsonl", text, DAY)
    result = load(con, tmp_path, "wecom", "external_contact", DAY)
    # the error response is one row offered and quarantined, so the loss is seen; the empty page is none
    n = len(records)
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (n + 1, n, 1)
    assert result.reasons == {"api_error_response": 1}
    (row,) = rows(con, "select row_number, detail, record from raw._quarantine")
    detail = "errcode 40001; errmsg invalid credential, hint: [1716174000_1234]"
    assert row == {"row_number": n + 1, "detail": detail, "record": None}


# Error responses as each platform documents them: what a collector stores when a call fails
ERRORS = [
    ("oa", "user", {"errcode": 40013, "errmsg": "invalid appid"}, "errcode 40013; errmsg invalid appid"),
    ("youzan", "trade", {"gw_err_resp": {"err_msg": "access_token不存在", "err_code": 4203},
                         "trace_id": "yz7-0a1b2c3d-1716174002"}, "err_code 4203; err_msg access_token不存在"),
    ("youzan", "refund", {"success": False, "code": 141500101, "message": "退款单不存在", "data": None,
                          "trace_id": "yz7-0a1b2c3d-1716174003"}, "code 141500101; message 退款单不存在"),
    ("douyin", "order", {"code": 40004, "msg": "参数错误", "sub_code": "isv.parameter-invalid",
                         "sub_msg": "订单号不存在", "log_id": "2024052010000104", "data": {}},
     "code 40004; sub_code isv.parameter-invalid; sub_msg 订单号不存在; msg 参数错误"),
    ("leads", "oceanengine", {"code": 40100, "message": "请求过于频繁", "data": {},
                              "request_id": "20240520101010010212345679"},
     "code 40100; message 请求过于频繁"),
    # a phone in a message is masked, as in every quarantine detail
    ("douyin", "after_sale", {"code": 50002, "msg": "业务处理失败", "sub_code": "isv.business-failed",
                              "sub_msg": "买家13812345678不存在"},
     "code 50002; sub_code isv.business-failed; sub_msg 买家[phone]不存在; msg 业务处理失败"),
]


@pytest.mark.parametrize("source,entity,response,detail", ERRORS, ids=[f"{s}/{e}" for s, e, _, _ in ERRORS])
def test_a_platform_error_response_is_named_with_its_code_and_message(con, tmp_path, source, entity,
                                                                     response, detail):
    land(tmp_path, source, entity, "pull.jsonl", json.dumps(response, ensure_ascii=False) + "\n", DAY)
    result = load(con, tmp_path, source, entity, DAY)
    assert (result.rows_offered, result.quarantined, result.reasons) == (1, 1, {"api_error_response": 1})
    (row,) = rows(con, "select detail from raw._quarantine")
    assert row["detail"] == detail


def test_a_successful_response_holding_no_records_is_not_an_error(con, tmp_path):
    """A zero-result Youzan search that leaves its list out is no error, but nothing says it holds no
    records: it is quarantined as a row lacking its fields, so it is seen."""
    response = {"success": True, "code": 200, "message": "successful", "data": {"total_results": 0}}
    land(tmp_path, "youzan", "trade", "sold_get.jsonl", json.dumps(response) + "\n", DAY)
    result = load(con, tmp_path, "youzan", "trade", DAY)
    assert (result.rows_offered, result.quarantined) == (1, 1)
    assert set(result.reasons) == {"missing_required_field"}


def test_an_error_response_of_an_entity_without_pages_is_named_too(con, tmp_path):
    """get_user_behavior_data failing for one employee, among the day's items of others."""
    (path,) = (DOCUMENTED / "wecom" / "user_behavior" / DAY.isoformat()).iterdir()
    items = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    error = json.dumps({"errcode": 60111, "errmsg": "invalid string value `nobody`. userid not found"})
    land(tmp_path, "wecom", "user_behavior", "behavior.jsonl", "\n".join([*items, error]) + "\n", DAY)
    result = load(con, tmp_path, "wecom", "user_behavior", DAY)
    n = len(items)
    assert (result.rows_offered, result.rows_loaded, result.reasons) == (n + 1, n, {"api_error_response": 1})
