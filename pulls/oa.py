"""The Official Account (公众号 / 服务号): the follower list and each follower's user/info.

API pages (developers.weixin.qq.com/doc/…): getStableAccessToken (offiaccount/Basic_Information/
getStableAccessToken.html; unlike /cgi-bin/token it does not invalidate the token the brand's other
systems hold), user/get (offiaccount/User_Management/Getting_a_User_List.html: ≤ 10,000 openids a page,
`next_openid` paging), user/info/batchget (service/api/usermanage/userinfo/api_batchuserinfo: ≤ 100
users a call), global return codes (offiaccount/Getting_Started/Global_Return_Code.html).

user/get lists followers only, while an exported oa/user snapshot keeps a row (`subscribe = 0`) for
everyone who ever followed. So the openids of the latest earlier oa/user snapshot in the landing, and
of the oa/event pushes landed since, that no longer follow are asked for too: batchget answers them
with their `subscribe = 0` rows, and a follower who left stays in the snapshot instead of vanishing.
"""

from __future__ import annotations

from datetime import date

import orjson

from ingestion.landing.layout import entity_days, partition_files
from pulls.http import backoff_seconds
from pulls.source import Day, Entity, Source
from pulls.wechat import WeChatClient, chunks

BASE_URL = "https://api.weixin.qq.com"
USERS_PER_CALL = 100


class OaClient(WeChatClient):
    platform = "oa"
    # 40001 invalid credential / token not latest, 40014 invalid access_token, 42001 expired
    token_codes = frozenset({40001, 40014, 42001})
    # -1 system busy, 45009 daily quota reached, 45011 minute quota reached
    retry_codes = frozenset({-1, 45009, 45011})

    def __init__(self, app_id: str, secret: str, base_url: str = BASE_URL, **kw):
        super().__init__(base_url, **kw)
        self._app_id, self._secret = app_id, secret

    def fetch_token(self) -> tuple[str, float]:
        # force_refresh only once a token was refused: it is limited to 20 a day
        body = self.request("stable_token", "POST", "/cgi-bin/stable_token", auth=False,
                            json={"grant_type": "client_credential", "appid": self._app_id,
                                  "secret": self._secret, "force_refresh": self.rejected > 0})
        return body["access_token"], float(body.get("expires_in", 7200))


def followers(client: OaClient) -> list[str]:
    out, next_openid = [], ""
    while True:
        body = client.request("user/get", "GET", "/cgi-bin/user/get", params={"next_openid": next_openid})
        page = (body.get("data") or {}).get("openid") or []
        out += page
        next_openid = body.get("next_openid") or ""
        if not page or not next_openid:
            return list(dict.fromkeys(out))


def _openids(landing, source: str, entity: str, days: list[date], field: str) -> list[str]:
    out = []
    for day in days:
        for path in partition_files(landing, source, entity, day):
            if path.suffix not in (".jsonl", ".json"):
                continue
            for line in path.read_bytes().splitlines():
                try:
                    value = orjson.loads(line.lstrip(b"\xef\xbb\xbf")).get(field)
                except (orjson.JSONDecodeError, AttributeError):
                    continue
                if isinstance(value, str) and value:
                    out.append(value)
    return out


def known_before(day: Day) -> list[str]:
    """Openids of the latest oa/user snapshot before the day, then of oa/event days after it."""
    earlier = [d for d in entity_days(day.landing, "oa", "user") if d < day.day]
    last = earlier[-1:] if earlier else []
    events = [d for d in entity_days(day.landing, "oa", "event")
              if (not last or d > last[0]) and d <= day.day]
    return list(dict.fromkeys(_openids(day.landing, "oa", "user", last, "openid")
                              + _openids(day.landing, "oa", "event", events, "FromUserName")))


def users(client: OaClient, day: Day):
    following = followers(client)
    gone = sorted(set(known_before(day)) - set(following))
    for batch in chunks(following + gone, USERS_PER_CALL):
        body = client.request(f"user/info/batchget for {batch[0]} … ({len(batch)} users)", "POST",
                              "/cgi-bin/user/info/batchget",
                              json={"user_list": [{"openid": o, "lang": "zh_CN"} for o in batch]})
        yield from body.get("user_info_list") or []


def _client(env) -> OaClient:
    return OaClient(env["OA_APP_ID"], env["OA_APP_SECRET"], env.get("SIYU_OA_API_BASE") or BASE_URL,
                    backoff=backoff_seconds(env))


SOURCE = Source(
    name="oa",
    credentials=("OA_APP_ID", "OA_APP_SECRET"),
    client=_client,
    base_url_variable="SIYU_OA_API_BASE",
    entities=(Entity("user", "snapshot", "user_info.jsonl", users, "user/get, user/info/batchget"),),
)
