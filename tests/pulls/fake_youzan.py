"""Youzan's open API as its SDKs and reference pages show it (open.youzanyun.com: POST /auth/token for a
self-use app, POST /api/<name>/<version>?access_token=… with a JSON body, `{"success", "code",
"message", "data"}` answers, gateway errors as HTTP 200 `{"gw_err_resp": {"err_code", "err_msg"}}`),
over a state the tests set: the trades and refunds changed on one day, in the platform's order."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

MAX_PAGE_SIZE = 100

_tokens = itertools.count(1)


@dataclass
class YouzanState:
    day: str = ""  # YYYY-MM-DD, the served day
    trades: list = field(default_factory=list)  # {"full_order_info": …} items
    refunds: list = field(default_factory=list)


class YouzanFake:
    def __init__(self, credentials: dict):
        self.client_id, self.secret = credentials["YOUZAN_CLIENT_ID"], credentials["YOUZAN_CLIENT_SECRET"]
        self.kdt_id = credentials["YOUZAN_KDT_ID"]
        self.state = YouzanState()
        self.tokens: set[str] = set()

    def error(self, code) -> dict:
        return {"gw_err_resp": {"err_code": code, "err_msg": f"fake gateway error {code}"}}

    def token_error(self) -> dict:
        return self.error(4203)

    def handle(self, method: str, path: str, query: dict, body):
        body = body or {}
        if path == "/auth/token":
            ok = (body.get("client_id"), body.get("client_secret"), str(body.get("grant_id"))) == \
                (self.client_id, self.secret, self.kdt_id) and body.get("authorize_type") == "silent"
            if not ok:
                return 200, {"success": False, "code": 40001, "message": "client_id or secret wrong"}
            token = f"youzan-token-{next(_tokens)}"
            self.tokens.add(token)
            return 200, {"success": True, "code": 200, "message": "successful",
                         "data": {"access_token": token, "expires": int((time.time() + 7 * 86_400) * 1000),
                                  "scope": "", "authority_id": self.kdt_id}}
        if query.get("access_token") not in self.tokens:
            return 200, self.error(4202)
        if path == "/api/youzan.trades.sold.get/4.0.0":
            return 200, self._list(body, "start_update", "end_update", self.state.trades,
                                   "full_order_info_list")
        if path == "/api/youzan.trade.refund.search/3.0.0":
            return 200, self._list(body, "start_modified", "end_modified", self.state.refunds, "refunds")
        return 404, b""

    def _list(self, body: dict, start: str, end: str, items: list, key: str) -> dict:
        size = int(body.get("page_size") or 20)
        if size > MAX_PAGE_SIZE:
            return {"success": False, "code": 4400, "message": "page_size too large"}
        in_day = body.get(start) == f"{self.state.day} 00:00:00" and body.get(end, "") > body.get(start)
        rows = items if in_day else []
        first = (int(body.get("page_no") or 1) - 1) * size
        return {"success": True, "code": 200, "message": "successful",
                "data": {"total_results": len(rows), key: rows[first:first + size]}}
