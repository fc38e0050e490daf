"""WeCom's customer-contact API as documented (developer.work.weixin.qq.com/document/path/…), over
a state the tests set: guides, contacts, groups, behaviour rows and mass-message results of one day.

Pages in the fake are smaller than the client's `limit` (the documented maxima: 100 contacts, 1,000
chats or results), so every list runs over several pages; a cursor is an opaque string, "" at the end.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

PAGE = 7  # items a page at most, whatever the limit asked

_tokens = itertools.count(1)


def page(items: list, cursor: str, limit: int):
    """(the page, next_cursor) of a cursor-paged list."""
    start = int(cursor[3:]) if cursor.startswith("cur") else 0
    size = min(limit or 50, PAGE)
    end = start + size
    return items[start:end], (f"cur{end}" if end < len(items) else "")


@dataclass
class WeComState:
    day_start: int = 0  # the served day's Beijing midnight, epoch s
    guides: list = field(default_factory=list)
    contacts: list = field(default_factory=list)  # batch/get_by_user items
    groups: dict = field(default_factory=dict)  # chat_id → groupchat/get's group_chat
    behavior: list = field(default_factory=list)  # {"userid", ...get_user_behavior_data item}
    groupmsg: list = field(default_factory=list)  # landing lines of wecom/groupmsg_send


class WeComFake:
    token_code = 42001

    def __init__(self, credentials: dict):
        self.corp_id, self.secret = credentials["WECOM_CORP_ID"], credentials["WECOM_CONTACT_SECRET"]
        self.state = WeComState()
        self.tokens: set[str] = set()

    def error(self, code) -> dict:
        return {"errcode": code, "errmsg": f"fake error {code}, hint: [fake]"}

    def token_error(self) -> dict:
        return {"errcode": 42001, "errmsg": "access_token expired, hint: [fake]"}

    def handle(self, method: str, path: str, query: dict, body):
        if path == "/cgi-bin/gettoken":  # document/path/91039
            if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.secret:
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}
            token = f"wecom-token-{next(_tokens)}"
            self.tokens.add(token)
            return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        if query.get("access_token") not in self.tokens:  # 90313: 40014 invalid access_token
            return 200, {"errcode": 40014, "errmsg": "invalid access_token"}
        if body is None:  # 90313: 47001 data format error
            return 200, {"errcode": 47001, "errmsg": "data format error"}
        name = path.rsplit("/", 1)[1]
        answer = getattr(self, f"_{name}", None)
        return (200, answer(body)) if answer else (404, b"")

    def _get_follow_user_list(self, body) -> dict:  # document/path/92571
        return {"errcode": 0, "errmsg": "ok", "follow_user": list(self.state.guides)}

    def _get_by_user(self, body) -> dict:  # document/path/92994 (batch/get_by_user)
        wanted = body["userid_list"]
        if len(wanted) > 100:
            return self.error(40058)
        items = [c for u in wanted for c in self.state.contacts if c["follow_info"].get("userid") == u]
        got, cursor = page(items, body.get("cursor", ""), body.get("limit", 50))
        return {"errcode": 0, "errmsg": "ok", "external_contact_list": got, "next_cursor": cursor}

    def _list(self, body) -> dict:  # document/path/92120 (groupchat/list)
        owners = set(body.get("owner_filter", {}).get("userid_list") or self.state.guides)
        chats = [{"chat_id": c, "status": 0} for c, g in self.state.groups.items()
                 if g.get("owner") in owners]
        got, cursor = page(chats, body.get("cursor", ""), body.get("limit", 100))
        return {"errcode": 0, "errmsg": "ok", "group_chat_list": got, "next_cursor": cursor}

    def _get(self, body) -> dict:  # document/path/92122 (groupchat/get)
        chat = self.state.groups.get(body.get("chat_id"))
        if chat is None:
            return {"errcode": 40050, "errmsg": "chatid not found"}
        if not body.get("need_name"):
            chat = {**chat, "member_list": [{k: v for k, v in m.items() if k != "name"}
                                            for m in chat.get("member_list", [])]}
        return {"errcode": 0, "errmsg": "ok", "group_chat": chat}

    def _get_user_behavior_data(self, body) -> dict:  # document/path/92132
        users = body.get("userid") or []
        if len(users) != 1:  # several userids are summed by the platform: the client must ask one by one
            return self.error(40058)
        if body.get("start_time") != self.state.day_start or body.get("end_time") != self.state.day_start:
            return {"errcode": 0, "errmsg": "ok", "behavior_data": []}
        rows = [{k: v for k, v in r.items() if k != "userid"} for r in self.state.behavior
                if r.get("userid") == users[0]]
        return {"errcode": 0, "errmsg": "ok", "behavior_data": rows}

    def _get_groupmsg_list_v2(self, body) -> dict:  # document/path/93338
        single = body.get("chat_type", "single") == "single"
        in_day = body.get("start_time") == self.state.day_start and \
            body.get("end_time") == self.state.day_start + 86_399
        msgs = {}
        for r in self.state.groupmsg if in_day else []:
            if ("chat_id" not in r) == single and r["msgid"] not in msgs:
                # the documented example gives create_time as a string of epoch seconds
                msgs[r["msgid"]] = {"msgid": r["msgid"], "creator": r["userid"], "create_type": 1,
                                    "create_time": str(r["create_time"]), "text": {"content": ""}}
        got, cursor = page(list(msgs.values()), body.get("cursor", ""), body.get("limit", 50))
        return {"errcode": 0, "errmsg": "ok", "group_msg_list": got, "next_cursor": cursor}

    def _get_groupmsg_task(self, body) -> dict:  # document/path/93338
        guides = dict.fromkeys(r["userid"] for r in self.state.groupmsg if r["msgid"] == body.get("msgid"))
        tasks = [{"userid": g, "status": 2, "send_time": self.state.day_start} for g in guides]
        got, cursor = page(tasks, body.get("cursor", ""), body.get("limit", 1000))
        return {"errcode": 0, "errmsg": "ok", "task_list": got, "next_cursor": cursor}

    def _get_groupmsg_send_result(self, body) -> dict:  # document/path/93338
        rows = [{k: v for k, v in r.items() if k not in ("msgid", "create_time")} for r in self.state.groupmsg
                if r["msgid"] == body.get("msgid") and r["userid"] == body.get("userid")]
        got, cursor = page(rows, body.get("cursor", ""), body.get("limit", 1000))
        return {"errcode": 0, "errmsg": "ok", "send_list": got, "next_cursor": cursor}
