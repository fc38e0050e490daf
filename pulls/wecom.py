"""WeCom (企业微信) customer contact: contacts, group chats, guides' daily counters and mass-message
results, from the API of an app configured for customer contact (客户联系 secret).

API pages (developer.work.weixin.qq.com/document/path/…): gettoken 91039, global error codes 90313,
get_follow_user_list 92571, batch/get_by_user 92994, groupchat/list 92120, groupchat/get 92122,
get_user_behavior_data 92132, get_groupmsg_list_v2 / get_groupmsg_task / get_groupmsg_send_result 93338.
"""

from __future__ import annotations

from functools import cached_property

from pulls.http import backoff_seconds
from pulls.source import Day, Entity, Source
from pulls.wechat import WeChatClient, chunks, epoch

BASE_URL = "https://qyapi.weixin.qq.com"
GUIDES_PER_CALL = 100  # batch/get_by_user, groupchat/list and get_user_behavior_data take ≤ 100 userids


class WeComClient(WeChatClient):
    platform = "wecom"
    # 90313: 42001 access_token expired, 40014 invalid access_token (also what an expired one gives)
    token_codes = frozenset({40014, 42001})
    # -1 system busy, 45009 API call frequency out of limit, 45033 concurrent calls out of limit
    retry_codes = frozenset({-1, 45009, 45033})

    def __init__(self, corp_id: str, secret: str, base_url: str = BASE_URL, **kw):
        super().__init__(base_url, **kw)
        self._corp_id, self._secret = corp_id, secret

    def fetch_token(self) -> tuple[str, float]:
        body = self.request("gettoken", "GET", "/cgi-bin/gettoken", auth=False,
                            params={"corpid": self._corp_id, "corpsecret": self._secret})
        return body["access_token"], float(body.get("expires_in", 7200))

    def post(self, label: str, path: str, payload: dict) -> dict:
        return self.request(label, "POST", f"/cgi-bin/externalcontact/{path}", json=payload)

    def paged(self, label: str, path: str, payload: dict, key: str, limit: int):
        """Every item of a cursor-paged list: pages until `next_cursor` comes back empty."""
        cursor = ""
        while True:
            body = self.post(label, path, {**payload, "cursor": cursor, "limit": limit})
            yield from body.get(key) or []
            cursor = body.get("next_cursor") or ""
            if not cursor:
                return

    @cached_property
    def guides(self) -> list[str]:
        """The employees configured for customer contact (the userids every other call takes)."""
        body = self.request("get_follow_user_list", "GET", "/cgi-bin/externalcontact/get_follow_user_list")
        return list(body.get("follow_user") or [])


def _who(batch: list[str]) -> str:
    return batch[0] if len(batch) == 1 else f"{batch[0]} … {batch[-1]} ({len(batch)} guides)"


def external_contacts(client: WeComClient, day: Day):
    """Each customer × guide relationship, as batch/get_by_user returns its items."""
    for batch in chunks(client.guides, GUIDES_PER_CALL):
        yield from client.paged(f"batch/get_by_user for {_who(batch)}", "batch/get_by_user",
                                {"userid_list": batch}, "external_contact_list", limit=100)


def group_chats(client: WeComClient, day: Day):
    """Every group the guides own, as groupchat/get returns it (member names asked for)."""
    seen = set()
    for batch in chunks(client.guides, GUIDES_PER_CALL):
        listed = client.paged(f"groupchat/list for owners {_who(batch)}", "groupchat/list",
                              {"status_filter": 0, "owner_filter": {"userid_list": batch}},
                              "group_chat_list", limit=1000)
        for item in list(listed):
            chat_id = item["chat_id"]
            if chat_id in seen:
                continue
            seen.add(chat_id)
            body = client.post(f"groupchat/get for chat {chat_id}", "groupchat/get",
                               {"chat_id": chat_id, "need_name": 1})
            yield {"group_chat": body["group_chat"]}


def user_behavior(client: WeComClient, day: Day):
    """A guide's counters of the day. One guide per call: given several userids the API sums them."""
    for guide in client.guides:
        body = client.post(f"get_user_behavior_data for guide {guide}", "get_user_behavior_data",
                           {"userid": [guide], "start_time": day.start, "end_time": day.start})
        for item in body.get("behavior_data") or []:
            yield {"userid": guide, **item}


def groupmsg_results(client: WeComClient, day: Day):
    """One line per mass message × target (customer or group) created on the day."""
    window = {"start_time": day.start, "end_time": day.end - 1, "filter_type": 2}
    for chat_type in ("single", "group"):
        for msg in list(client.paged(f"get_groupmsg_list_v2 ({chat_type})", "get_groupmsg_list_v2",
                                     {**window, "chat_type": chat_type}, "group_msg_list", limit=100)):
            msgid = msg["msgid"]
            tasks = client.paged(f"get_groupmsg_task for message {msgid}", "get_groupmsg_task",
                                 {"msgid": msgid}, "task_list", limit=1000)
            for guide in dict.fromkeys(t["userid"] for t in list(tasks)):
                for item in client.paged(f"get_groupmsg_send_result for message {msgid}, guide {guide}",
                                         "get_groupmsg_send_result", {"msgid": msgid, "userid": guide},
                                         "send_list", limit=1000):
                    yield {"msgid": msgid, "create_time": epoch(msg.get("create_time")), **item}


def _client(env) -> WeComClient:
    return WeComClient(env["WECOM_CORP_ID"], env["WECOM_CONTACT_SECRET"],
                       env.get("SIYU_WECOM_API_BASE") or BASE_URL, backoff=backoff_seconds(env))


SOURCE = Source(
    name="wecom",
    credentials=("WECOM_CORP_ID", "WECOM_CONTACT_SECRET"),
    client=_client,
    base_url_variable="SIYU_WECOM_API_BASE",
    entities=(
        Entity("external_contact", "snapshot", "batch_get_by_user.jsonl", external_contacts, "92994"),
        Entity("group_chat", "snapshot", "groupchat_get.jsonl", group_chats, "92120, 92122"),
        Entity("user_behavior", "events", "user_behavior_data.jsonl", user_behavior, "92132"),
        Entity("groupmsg_send", "events", "groupmsg_send_result.jsonl", groupmsg_results, "93338"),
    ),
)
