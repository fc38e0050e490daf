"""Public-domain marketing: Ocean Engine leads, ad spend and fission campaign exports."""

from .model import Contract, Field

AD_PLATFORMS = ("oceanengine", "tencent_ads", "xiaohongshu", "kuaishou", "baidu")

CONTRACTS = (
    Contract(
        "leads", "oceanengine", "events", ("csv", "xlsx", "jsonl", "json"),
        (
            Field("clue_id"),
            Field("created_at", "local_ts", source="create_time_detail"),
            Field("telephone", "phone"),
            Field("weixin", required=False, pii="drop"),
            Field("clue_source"),
            Field("clue_type"),
            Field("clue_state"),
            Field("advertiser_id"),
            Field("promotion_id"),
            Field("promotion_name"),
            Field("external_action", required=False),
        ),
        key=("clue_id",),
    ),
    Contract(
        "ads", "spend", "events", ("csv", "xlsx"),
        (
            Field("date", "date"),
            Field("platform", enum=AD_PLATFORMS),
            Field("account_id"),
            Field("campaign_id"),
            Field("campaign_name"),
            Field("impressions", "int"),
            Field("clicks", "int"),
            Field("cost", "yuan"),
        ),
        key=("date", "platform", "account_id", "campaign_id"),
    ),
    Contract(
        "fission", "invitation", "events", ("jsonl", "json"),
        (
            Field("campaign_id"),
            Field("inviter_unionid", required=False),
            Field("inviter_external_userid", required=False),
            Field("invitee_unionid", required=False),
            Field("invitee_external_userid", required=False),
            Field("step", enum=("scan", "add_friend", "task_complete")),
            Field("ts", "epoch_s"),
            Field("reward", required=False),
        ),
        key=("campaign_id", "inviter_unionid", "inviter_external_userid",
             "invitee_unionid", "invitee_external_userid", "step", "ts"),
        require_any=(("inviter_unionid", "inviter_external_userid"),
                     ("invitee_unionid", "invitee_external_userid")),
    ),
)
