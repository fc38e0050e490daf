"""Youzan (有赞) shop: the trades and refunds changed on the day, one time window per day, paged.

API shapes (open.youzanyun.com; the SDKs youzan/open-sdk-node and open-sdk-java): a self-use app's
token from POST /auth/token (`authorize_type: silent`, the shop's kdt_id as `grant_id`; `data.expires`
in epoch milliseconds), calls as POST /api/<name>/<version>?access_token=… with the parameters as a
JSON body, answered `{"success", "code", "message", "data"}` — or, from the gateway (token, rate
limit), HTTP 200 with `{"gw_err_resp": {"err_code", "err_msg"}}`.

Checked against the reference pages: the envelope, the token call, `youzan.trades.sold.get` 4.0.0
(`start_update`/`end_update`, `page_no`/`page_size` ≤ 100, `data.full_order_info_list[]
.full_order_info`, `data.total_results`). Not reachable from here, to confirm in Youzan's API explorer
before a shop relies on them: the refund search call's name and parameters (REFUNDS below) and the
gateway's token codes (TOKEN_CODES) and rate-limit codes (RETRY_CODES).
"""

from __future__ import annotations

import time

from pulls.client import Client, Verdict
from pulls.http import backoff_seconds
from pulls.source import Day, Entity, Source

BASE_URL = "https://open.youzanyun.com"
TRADES = ("youzan.trades.sold.get", "4.0.0", "start_update", "end_update", "full_order_info_list")
REFUNDS = ("youzan.trade.refund.search", "3.0.0", "start_modified", "end_modified", "refunds")
PAGE_SIZE = 100
TOKEN_CODES = frozenset({4201, 4202, 4203})  # token missing / invalid / expired
RETRY_CODES = frozenset({429, 4301, 5001, 5002})  # too many calls; gateway busy


class YouzanClient(Client):
    platform = "youzan"

    def __init__(self, client_id: str, secret: str, kdt_id: str, base_url: str = BASE_URL,
                 page_size: int = PAGE_SIZE, **kw):
        super().__init__(base_url, **kw)
        self._id, self._secret, self._kdt_id = client_id, secret, kdt_id
        self.page_size = page_size

    def fetch_token(self) -> tuple[str, float]:
        body = self.request("auth/token", "POST", "/auth/token", auth=False,
                            json={"authorize_type": "silent", "client_id": self._id,
                                  "client_secret": self._secret, "grant_id": self._kdt_id, "refresh": False})
        data = body["data"]
        return data["access_token"], float(data.get("expires", 0)) / 1000 - time.time()

    def classify(self, body: dict) -> Verdict:
        gateway = body.get("gw_err_resp") or body.get("error_response")
        if isinstance(gateway, dict):
            code = gateway.get("err_code", gateway.get("code"))
            message = str(gateway.get("err_msg", gateway.get("msg", "")))[:120]
        elif body.get("success") is False or body.get("code") not in (None, 200):
            code, message = body.get("code"), str(body.get("message", ""))[:120]
        else:
            return Verdict("ok")
        code = int(code) if str(code).lstrip("-").isdigit() else code
        kind = "token" if code in TOKEN_CODES else "retry" if code in RETRY_CODES else "error"
        return Verdict(kind, code, message)

    def changed(self, call: tuple, day: Day):
        """Every item the call lists for [day 00:00:00, next day 00:00:00), page by page until a page
        falls short or `total_results` is reached."""
        name, version, start, end, key = call
        page = 1
        while True:
            body = self.request(f"{name} page {page}", "POST", f"/api/{name}/{version}",
                                json={start: day.local(), end: day.local(1),
                                      "page_no": page, "page_size": self.page_size})
            data = body.get("data") or {}
            items = data.get(key) or []
            yield from items
            total = data.get("total_results")
            if len(items) < self.page_size or (total is not None and page * self.page_size >= int(total)):
                return
            page += 1


def trades(client: YouzanClient, day: Day):
    """Each trade as youzan.trade.get returns it: `{"full_order_info": {...}}`."""
    yield from client.changed(TRADES, day)


def refunds(client: YouzanClient, day: Day):
    yield from client.changed(REFUNDS, day)


def _client(env) -> YouzanClient:
    return YouzanClient(env["YOUZAN_CLIENT_ID"], env["YOUZAN_CLIENT_SECRET"], env["YOUZAN_KDT_ID"],
                        env.get("SIYU_YOUZAN_API_BASE") or BASE_URL, backoff=backoff_seconds(env))


SOURCE = Source(
    name="youzan",
    credentials=("YOUZAN_CLIENT_ID", "YOUZAN_CLIENT_SECRET", "YOUZAN_KDT_ID"),
    client=_client,
    base_url_variable="SIYU_YOUZAN_API_BASE",
    entities=(
        Entity("trade", "events", "trades.jsonl", trades, "youzan.trades.sold.get 4.0.0"),
        Entity("refund", "events", "refunds.jsonl", refunds, "youzan.trade.refund.search 3.0.0"),
    ),
)
