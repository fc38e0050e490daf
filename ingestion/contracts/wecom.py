"""wecom: 企业微信 customer contact (API dumps and callbacks, JSONL)."""

from .model import Contract, Field
from .pages import Page

ADD_WAYS = (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 201, 202)
CHANGE_TYPES = (
    "add_external_contact", "add_half_external_contact", "edit_external_contact",
    "del_external_contact", "del_follow_user", "transfer_fail",
)

GROUP_MEMBER = (
    Field("userid", kind="id"),
    Field("type", "int", enum=(1, 2)),
    Field("unionid", required=False, kind="id"),
    Field("join_time", "epoch_s", required=False),
    Field("join_scene", "int", required=False),
    Field("invitor_userid", source="invitor.userid", required=False, kind="id"),
)
MESSAGE = ("action", ("send", "recall"))
SWITCH = ("action", ("switch",))

CONTRACTS = (
    Contract(
        "wecom", "external_contact", "snapshot", ("jsonl", "json"),
        (
            Field("external_userid", source="external_contact.external_userid", kind="id",
                  format_when=("contact_type", ((1, "wechat_user_external_userid"),
                                                (2, "corp_user_external_userid")))),
            Field("name", source="external_contact.name", pii="drop", kind="free"),
            Field("contact_type", "int", source="external_contact.type", enum=(1, 2),
                  description="1 = WeChat user (wm…), 2 = WeCom user of another company (wo…)"),
            Field("gender", "int", source="external_contact.gender", required=False),
            Field("unionid", source="external_contact.unionid", required=False, kind="id"),
            Field("corp_name", source="external_contact.corp_name", required=False, kind="free"),
            Field("userid", source="follow_info.userid", kind="id"),
            Field("remark", source="follow_info.remark", pii="drop", kind="free"),
            Field("description", source="follow_info.description", pii="drop", kind="free"),
            Field("createtime", "epoch_s", source="follow_info.createtime"),
            Field("tag_ids", "json", source="follow_info.tag_id", required=False),
            Field("remark_mobiles", "phone_list", source="follow_info.remark_mobiles", required=False),
            Field("add_way", "int", source="follow_info.add_way", enum=ADD_WAYS),
            Field("oper_userid", source="follow_info.oper_userid", required=False, kind="id"),
            Field("state", source="follow_info.state", required=False, kind="code"),
        ),
        key=("external_userid", "userid"),
        pages=(
            Page("external_contact_list"),  # externalcontact/batch/get_by_user
            # externalcontact/get: one customer and each employee following them
            Page("follow_user", item="follow_info", beside=("external_contact",),
                 lists=(("tag_id", "tags", "tag_id"),)),
        ),
    ),
    Contract(
        "wecom", "contact_event", "events", ("jsonl", "json"),
        (
            Field("to_user_name", source="ToUserName", kind="id"),
            Field("from_user_name", source="FromUserName", kind="code"),
            Field("create_time", "epoch_s", source="CreateTime"),
            Field("msg_type", source="MsgType", kind="code"),
            Field("event", source="Event", kind="code"),
            Field("change_type", source="ChangeType", enum=CHANGE_TYPES, kind="code"),
            Field("userid", source="UserID", kind="id"),
            Field("external_userid", source="ExternalUserID", kind="id"),
            Field("state", source="State", required=False, kind="code"),
            Field("welcome_code", source="WelcomeCode", required=False, kind="id"),
            Field("source", source="Source", required=False, kind="code"),
            Field("fail_reason", source="FailReason", required=False,
                  enum=("customer_refused", "customer_limit_exceed"), kind="code"),
        ),
        key=("external_userid", "userid", "change_type", "create_time"),
    ),
    Contract(
        "wecom", "group_chat", "snapshot", ("json", "jsonl"),
        (
            Field("chat_id", kind="id"),
            Field("group_name", source="name", required=False, kind="free"),
            Field("owner", kind="id"),
            Field("create_time", "epoch_s"),
            Field("notice", required=False, pii="drop", kind="free"),
            Field("member_list", "json", items=GROUP_MEMBER,
                  description="members: userid, type (1 employee, 2 external), unionid?, join_time, "
                  "join_scene, invitor.userid (names and nicknames are not kept)"),
        ),
        key=("chat_id",),
        root="group_chat",
    ),
    Contract(
        "wecom", "user_behavior", "events", ("jsonl", "json"),
        (
            Field("userid", kind="id"),
            Field("stat_time", "epoch_s"),
            Field("new_apply_cnt", "int"),
            Field("new_contact_cnt", "int"),
            Field("chat_cnt", "int"),
            Field("message_cnt", "int"),
            Field("reply_percentage", "float", required=False),
            Field("avg_reply_time", "float", required=False),
            Field("negative_feedback_cnt", "int"),
        ),
        key=("userid", "stat_time"),
    ),
    Contract(
        "wecom", "groupmsg_send", "events", ("jsonl", "json"),
        (
            Field("msgid", kind="id"),
            Field("create_time", "epoch_s"),
            Field("userid", kind="id"),
            Field("external_userid", required=False, kind="id"),
            Field("chat_id", required=False, kind="id"),
            Field("status", "int", enum=(0, 1, 2, 3)),
            Field("send_time", "epoch_s", required=False, zero_is_null=True),
        ),
        key=("msgid", "userid", "external_userid", "chat_id"),
    ),
    Contract(
        "wecom", "message", "events", ("jsonl", "json"),
        (
            Field("msgid", kind="id"),
            Field("action", enum=("send", "recall", "switch"), kind="code"),
            # a `switch` record (an employee switched corp on the device) carries only msgid,
            # action, time and user: it is no message and no contact
            Field("from_id", source="from", required=False, required_when=MESSAGE, kind="id"),
            Field("tolist", "json", required=False, required_when=MESSAGE),
            Field("roomid", required=False, kind="id"),
            Field("msgtime", "epoch_ms", required=False, required_when=MESSAGE),
            Field("msgtype", required=False, required_when=MESSAGE, kind="code"),
            Field("switch_time", "epoch_ms", source="time", required=False, required_when=SWITCH),
            Field("switch_user", source="user", required=False, required_when=SWITCH, kind="id"),
        ),
        key=("msgid",),
    ),
)
