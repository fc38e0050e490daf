"""The Official Account's user API as documented (developers.weixin.qq.com/doc/offiaccount/…):
getStableAccessToken (Basic_Information/getStableAccessToken.html), user/get
(User_Management/Getting_a_User_List.html) and user/info/batchget (service/api/usermanage/userinfo/
api_batchuserinfo), over a state the tests set: who follows, and each user's user/info.

user/get pages hold at most PAGE openids here (10,000 on the platform); `next_openid` names the last
openid of the page and is "" once the list has been given out."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

PAGE = 7

_tokens = itertools.count(1)


@dataclass
class OaState:
    followers: list = field(default_factory=list)  # openids, in the platform's order
    users: dict = field(default_factory=dict)  # openid → user/info (subscribe 0 rows included)


class OaFake:
    def __init__(self, credentials: dict):
        self.app_id, self.secret = credentials["OA_APP_ID"], credentials["OA_APP_SECRET"]
        self.state = OaState()
        self.tokens: set[str] = set()
        self.forced = 0  # stable_token calls with force_refresh (20 a day on the platform)

    def error(self, code) -> dict:
        return {"errcode": code, "errmsg": f"fake error {code} rid: fake"}

    def token_error(self) -> dict:
        return {"errcode": 42001, "errmsg": "access_token expired rid: fake"}

    def handle(self, method: str, path: str, query: dict, body):
        if path == "/cgi-bin/stable_token":
            if (body or {}).get("appid") != self.app_id or body.get("secret") != self.secret:
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.forced += bool(body.get("force_refresh"))
            if body.get("force_refresh") or not self.tokens:
                self.tokens.add(f"oa-token-{next(_tokens)}")
            return 200, {"access_token": max(self.tokens), "expires_in": 7200}
        if query.get("access_token") not in self.tokens:  # Global_Return_Code: 40001 invalid credential
            return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if path == "/cgi-bin/user/get" and method == "GET":
            return 200, self._followers(query.get("next_openid", ""))
        if path == "/cgi-bin/user/info/batchget" and body is not None:
            return 200, self._batchget(body.get("user_list") or [])
        return 404, b""

    def _followers(self, after: str) -> dict:
        ids = self.state.followers
        start = ids.index(after) + 1 if after in ids else 0
        got = ids[start:start + PAGE]
        more = start + PAGE < len(ids)
        out = {"total": len(ids), "count": len(got), "next_openid": got[-1] if more else ""}
        if got:
            out["data"] = {"openid": got}
        return out

    def _batchget(self, wanted: list) -> dict:
        if len(wanted) > 100:
            return self.error(45031)
        users = []
        for item in wanted:
            user = self.state.users.get(item.get("openid"))
            if user is None:  # Global_Return_Code: 40003 invalid openid
                return self.error(40003)
            users.append(user)
        return {"user_info_list": users}
