"""wecom: 企业微信 customer contact (API dumps and callbacks, JSONL)."""

from .model import Contract, Field

ADD_WAYS = (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 201, 202)
CHANGE_TYPES = (
    "add_external_contact", "add_half_external_contact", "edit_external_contact",
    "del_external_contact", "del_follow_user", "transfer_fail",
)

CONTRACTS = (
    Contract(
        "wecom", "external_contact", "snapshot", ("jsonl", "json"),
        (
            Field("external_userid", source="external_contact.external_userid"),
            Field("name", source="external_contact.name", pii="drop"),
            Field("contact_type", "int", source="external_contact.type", enum=(1, 2),
                  description="1 = WeChat user (wm…), 2 = WeCom user of another company (wo…)"),
            Field("gender", "int", source="external_contact.gender", required=False),
            Field("unionid", source="external_contact.unionid", required=False),
            Field("corp_name", source="external_contact.corp_name", required=False),
            Field("userid", source="follow_info.userid"),
            Field("remark", source="follow_info.remark", pii="drop"),
            Field("description", source="follow_info.description", pii="drop"),
            Field("createtime", "epoch_s", source="follow_info.createtime"),
            Field("tag_ids", "json", source="follow_info.tag_id", required=False),
            Field("remark_mobiles", "phone_list", source="follow_info.remark_mobiles", required=False),
            Field("add_way", "int", source="follow_info.add_way", enum=ADD_WAYS),
            Field("oper_userid", source="follow_info.oper_userid", required=False),
            Field("state", source="follow_info.state", required=False),
        ),
        key=("external_userid", "userid"),
    ),
    Contract(
        "wecom", "contact_event", "events", ("jsonl", "json"),
        (
            Field("to_user_name", source="ToUserName"),
            Field("from_user_name", source="FromUserName"),
            Field("create_time", "epoch_s", source="CreateTime"),
            Field("msg_type", source="MsgType"),
            Field("event", source="Event"),
            Field("change_type", source="ChangeType", enum=CHANGE_TYPES),
            Field("userid", source="UserID"),
            Field("external_userid", source="ExternalUserID"),
            Field("state", source="State", required=False),
            Field("welcome_code", source="WelcomeCode", required=False),
            Field("source", source="Source", required=False),
            Field("fail_reason", source="FailReason", required=False,
                  enum=("customer_refused", "customer_limit_exceed")),
        ),
        key=("external_userid", "userid", "change_type", "create_time"),
    ),
    Contract(
        "wecom", "group_chat", "snapshot", ("json", "jsonl"),
        (
            Field("chat_id"),
            Field("group_name", source="name", required=False),
            Field("owner"),
            Field("create_time", "epoch_s"),
            Field("notice", required=False, pii="drop"),
            Field("member_list", "json", drop_keys=("name", "group_nickname"),
                  description="members: userid, type (1 employee, 2 external), unionid?, join_time, join_scene, invitor"),
        ),
        key=("chat_id",),
        root="group_chat",
    ),
    Contract(
        "wecom", "user_behavior", "events", ("jsonl", "json"),
        (
            Field("userid"),
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
            Field("msgid"),
            Field("create_time", "epoch_s"),
            Field("userid"),
            Field("external_userid", required=False),
            Field("chat_id", required=False),
            Field("status", "int", enum=(0, 1, 2, 3)),
            Field("send_time", "epoch_s", required=False, zero_is_null=True),
        ),
        key=("msgid", "userid", "external_userid", "chat_id"),
    ),
    Contract(
        "wecom", "message", "events", ("jsonl", "json"),
        (
            Field("msgid"),
            Field("action", enum=("send", "recall", "switch")),
            Field("from_id", source="from"),
            Field("tolist", "json"),
            Field("roomid", required=False),
            Field("msgtime", "epoch_ms"),
            Field("msgtype"),
        ),
        key=("msgid",),
    ),
)
