"""oa: the WeChat Official Account (公众号 / 服务号)."""

from .model import Contract, Field
from .pages import Page

SUBSCRIBE_SCENES = (
    "ADD_SCENE_SEARCH", "ADD_SCENE_ACCOUNT_MIGRATION", "ADD_SCENE_PROFILE_CARD", "ADD_SCENE_QR_CODE",
    "ADD_SCENE_PROFILE_LINK", "ADD_SCENE_PROFILE_ITEM", "ADD_SCENE_PAID", "ADD_SCENE_WECHAT_ADVERTISEMENT",
    "ADD_SCENE_REPRINT", "ADD_SCENE_LIVESTREAM", "ADD_SCENE_CHANNELS", "ADD_SCENE_WXA", "ADD_SCENE_OTHERS",
)
FOLLOWING = ("subscribe", 1)

CONTRACTS = (
    Contract(
        "oa", "user", "snapshot", ("jsonl", "json"),
        (
            Field("subscribe", "int", enum=(0, 1)),
            Field("openid", kind="id"),
            Field("unionid", required=False, kind="id"),
            # A non-follower's row may carry only subscribe, openid and unionid.
            Field("subscribe_time", "epoch_s", required=False, required_when=FOLLOWING),
            Field("subscribe_scene", required=False, required_when=FOLLOWING, enum=SUBSCRIBE_SCENES,
                  kind="code"),
            Field("qr_scene", "int", required=False),
            Field("qr_scene_str", required=False, kind="code"),
            Field("tagid_list", "json", required=False),
            Field("remark", required=False, pii="drop", kind="free"),
            Field("language", required=False, kind="code"),
        ),
        key=("openid",),
        pages=(Page("user_info_list"),),  # cgi-bin/user/info/batchget
    ),
    Contract(
        "oa", "event", "events", ("jsonl", "json"),
        (
            Field("to_user_name", source="ToUserName", kind="id"),
            Field("openid", source="FromUserName", kind="id"),
            Field("create_time", "epoch_s", source="CreateTime"),
            Field("msg_type", source="MsgType", enum=("event",), kind="code"),
            Field("event", source="Event", enum=("subscribe", "unsubscribe", "SCAN", "CLICK", "VIEW"),
                  kind="code"),
            Field("event_key", source="EventKey", required=False, kind="code"),
        ),
        key=("openid", "create_time", "event"),
    ),
)
