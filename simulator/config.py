"""Every rate the simulator uses, in one place, with why each default is what it is.

Behaviour rates are per person (or per relationship, per day where named `_per_day`); defect
rates are per record offered to the landing files, so a defect type's expected count is its rate
times the records it can apply to (the manifest records both).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class DefectRates:
    # Platform push retries: the same line twice in one day's file. 0.5% is what a WeCom callback
    # endpoint that answers slowly sees; loaders must drop these as exact duplicates.
    duplicate_push: float = 0.005
    # A retry that lands in a later day's folder (1–3 days on): staging collapses it on the key.
    retry_later: float = 0.003
    # An event delivered 1–3 days after its business date (it must load, dated by its own time).
    late_event: float = 0.01
    # Corrupted extra copies of a record, each must be quarantined with the reason in defects.csv.
    # 0.3–0.5% each keeps every type visible at 300 customers × 20 days and the data useful.
    truncated_json: float = 0.004
    wrong_field_count: float = 0.006
    future_time: float = 0.003
    pre_2010_time: float = 0.003
    unknown_enum: float = 0.003
    missing_required: float = 0.003
    # Tmall export quirks that must load: 订单编号 as ="…" (Excel text) and amounts with 元.
    excel_text_id: float = 0.05
    yuan_suffix: float = 0.05
    # Share of UTF-8 CSV files (org, leads, ads) saved with a BOM by Excel; org/store always is.
    bom_file: float = 0.3


@dataclass(frozen=True)
class ShapeRates:
    """How often the platforms send each legitimate variation (issue 11: "the simulator writes what
    the platforms send"). None of these is a defect: every row loads, and `_truth/shapes.csv` counts
    each shape against what it could have hit."""

    # WeCom returns "" for a remark or description nobody typed, and most contacts have none: guides
    # write a remark for about a third of their contacts and a description for one in five.
    remark_written: float = 0.35
    description_written: float = 0.2
    # Group members rarely set a group nickname; a group nobody named has name "".
    group_nickname_set: float = 0.1
    unnamed_group: float = 0.08
    # Optional ids sent as "" rather than left out (a collector that writes every key): loads as null.
    blank_optional_id: float = 0.3
    # JSON collectors serialise maps in no fixed order.
    key_order: float = 0.1
    # Of the exact retries of JSON records, a share re-serialised (other key order, or \u escapes):
    # still the same record (sources.md), dropped as duplicates.
    retry_reserialised: float = 0.4
    # Callbacks converted from XML carry every number as a string ("CreateTime": "1700000000").
    xml_strings: float = 0.1
    # JSONL files written on Windows (CRLF) or saved by an editor with a BOM.
    jsonl_crlf: float = 0.15
    jsonl_bom: float = 0.05
    # A day's JSONL export delivered in several part files (paged API dumps).
    split_day: float = 0.12
    # A snapshot entity not delivered on a scheduled snapshot day (the previous one holds); the
    # first and last snapshot days are always delivered.
    snapshot_skipped: float = 0.2
    # Every third group_chat snapshot day arrives as one JSON file per group (sources.md allows both).
    group_files_every: int = 3
    # Youzan: buyer_phone encrypted ($…$1$) since its 2021 privacy upgrade for many apps; booleans as
    # "true"/"false" strings from some SDKs; optional keys sent as "" instead of left out.
    youzan_encrypted_phone: float = 0.3
    string_booleans: float = 0.3
    blank_optional_time: float = 0.5
    # Planted personal data in keys no contract reads (delivery address, buyer messages with an
    # ID-card number): must never reach a warehouse table (issue 18, item 6).
    buyer_message: float = 0.05
    # Douyin: a collector that drops zero-valued keys leaves out a line's author_id/room_id/video_id.
    douyin_zero_keys_dropped: float = 0.1


# How each acquisition path is weighted among in-window newcomers, and what share of its
# people become WeCom friends (an ad lead is called by a guide about half the time, a fission
# invitee adds the guide to get the reward, a marketplace buyer rarely joins).
PATHS = {
    #  path          weight  pool   oa    mp    group first_buy
    "lead":        (0.12,  0.55, 0.20, 0.20, 0.10, 0.30),
    "wecom_ad":    (0.12,  1.00, 0.30, 0.35, 0.20, 0.40),
    "store":       (0.18,  0.65, 0.35, 0.30, 0.15, 0.75),
    "oa":          (0.09,  0.30, 1.00, 0.40, 0.10, 0.20),
    "fission":     (0.10,  0.92, 0.50, 0.45, 0.45, 0.30),
    "live":        (0.08,  0.25, 0.10, 0.20, 0.05, 0.90),
    "mp":          (0.08,  0.20, 0.30, 1.00, 0.05, 0.30),
    "marketplace": (0.15,  0.08, 0.05, 0.05, 0.02, 1.00),
    "mp_share":    (0.08,  0.40, 0.30, 1.00, 0.10, 0.25),
}


@dataclass(frozen=True)
class SimConfig:
    chunk_size: int = 5000          # persons per independently seeded chunk (memory is bounded by it)
    flush_items: int = 120_000      # buffered records before appending to files (~60 MB of dicts)
    # (defects.csv lists each flush's rows file by file: where flushes fall between people is fixed)
    snapshot_every_days: int = 7    # snapshots weekly, plus the first and last day
    history_days: int = 365         # pre-window people were acquired up to a year earlier
    pre_window_share: float = 0.35  # the brand's existing base at the window's start
    unionid_share: float = 0.60     # WeChat exposes unionid only when the apps are bound
    real_phone_share: float = 0.85  # people who ever give a real phone
    household_share: float = 0.05   # family members sharing the household's phone
    placeholder_phone_share: float = 0.015  # cashiers typing 13800138000 for walk-ins
    other_corp_share: float = 0.008  # WeCom users of other companies (type 2, wo…)
    heavy_share: float = 0.05       # heavy repurchasers: 6× purchase rate, 2× basket
    value_sigma: float = 0.9        # lognormal basket spread: top 20% of buyers bring ~60–70% of revenue
    repurchase_per_day: float = 1 / 50   # a buyer's base repurchase rate
    friend_boost: float = 1.6       # reachable customers buy this much more often
    customer_delete_per_day: float = 0.0012  # del_follow_user hazard (×3 in the first two weeks)
    guide_delete_per_day: float = 0.0004     # del_external_contact hazard (guides who clean up ×5)
    lost_callback_share: float = 0.2         # guide deletions with no callback: only a snapshot gap
    readd_share: float = 0.12       # deleted friendships re-added within 1–20 days
    second_guide_share: float = 0.08
    inservice_transfer_share: float = 0.01
    transfer_fail_share: float = 0.05
    group_leave_per_day: float = 0.002
    oa_unsubscribe_per_day: float = 0.0015
    chat_within_14d: float = 0.45   # new friends who message their guide within two weeks
    chat_sessions_per_day: float = 0.04
    mass_msg_purchase: float = 0.035  # a delivered one-to-one mass message turns into a purchase
    refund_share: float = 0.06
    unpaid_share: float = 0.07
    defects: DefectRates = field(default_factory=DefectRates)
    shapes: ShapeRates = field(default_factory=ShapeRates)

    def as_dict(self) -> dict:
        return asdict(self)
