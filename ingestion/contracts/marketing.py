"""Public-domain marketing: Ocean Engine leads, ad spend and fission campaign exports."""

from .model import Contract, Field
from .pages import Page

AD_PLATFORMS = ("oceanengine", "tencent_ads", "xiaohongshu", "kuaishou", "baidu")

CONTRACTS = (
    Contract(
        "leads", "oceanengine", "events", ("csv", "xlsx", "jsonl", "json"),
        (
            Field("clue_id", kind="id"),
            Field("created_at", "local_ts", source="create_time_detail"),
            Field("telephone", "phone"),
            Field("weixin", required=False, pii="drop", kind="free"),
            Field("clue_source", kind="code"),
            Field("clue_type", kind="code"),
            Field("clue_state", kind="code"),
            Field("advertiser_id", kind="id"),
            Field("promotion_id", kind="id"),
            Field("promotion_name", kind="free"),
            Field("external_action", required=False, kind="code"),
        ),
        key=("clue_id",),
        pages=(Page("data.list"),),  # GET /open_api/2/tools/clue/get/
    ),
    Contract(
        "ads", "spend", "events", ("csv", "xlsx"),
        (
            Field("date", "date"),
            Field("platform", enum=AD_PLATFORMS, kind="code"),
            Field("account_id", kind="id"),
            Field("campaign_id", kind="id"),
            Field("campaign_name", kind="free"),
            Field("impressions", "int"),
            Field("clicks", "int"),
            Field("cost", "yuan"),
        ),
        key=("date", "platform", "account_id", "campaign_id"),
    ),
    Contract(
        "fission", "invitation", "events", ("jsonl", "json"),
        (
            Field("campaign_id", kind="id"),
            Field("inviter_unionid", required=False, kind="id"),
            Field("inviter_external_userid", required=False, kind="id"),
            Field("invitee_unionid", required=False, kind="id"),
            Field("invitee_external_userid", required=False, kind="id"),
            Field("step", enum=("scan", "add_friend", "task_complete"), kind="code"),
            Field("ts", "epoch_s"),
            Field("reward", required=False, kind="free"),
        ),
        key=("campaign_id", "inviter_unionid", "inviter_external_userid",
             "invitee_unionid", "invitee_external_userid", "step", "ts"),
        require_any=(("inviter_unionid", "inviter_external_userid"),
                     ("invitee_unionid", "invitee_external_userid")),
    ),
)
