"""The simulator's brand served through the fake platform: a landing day's records of the pulled
entities become what the fake answers for that day, so the same brand can arrive as files or as pulls.

A platform's API answers well-formed records: the copies the simulator garbles on purpose to stand for
delivery defects (a half-written line, a clock reset, an unknown enum, a missing field — listed in
`_truth/defects.csv`) belong to exports and are left out; retried and late copies are kept (they are
what the platform holds for that day). Snapshot keys the platform holds once (a follower, a group)
are served once, the first record read for them."""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

PULLED = {"wecom": ("external_contact", "group_chat", "user_behavior", "groupmsg_send"),
          "oa": ("user",), "youzan": ("trade", "refund")}
GARBLED = {"truncated_json", "wrong_field_count", "future_time", "pre_2010_time", "unknown_enum",
           "missing_required"}


def garbled_rows(landing: Path) -> set[tuple[str, int]]:
    with open(landing / "_truth" / "defects.csv", newline="", encoding="utf-8") as fh:
        return {(r["file"], int(r["row_number"])) for r in csv.DictReader(fh)
                if r["defect"] in GARBLED and r["row_number"]}


def day_records(landing: Path, source: str, entity: str, day: date, skip=frozenset()) -> list[dict]:
    """The records of a day folder in file-name order, without the rows `skip` names."""
    folder = landing / source / entity / day.isoformat()
    out = []
    for path in sorted(folder.glob("*.json*")) if folder.is_dir() else []:
        rel = path.relative_to(landing).as_posix()
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
        lines = [raw] if path.suffix == ".json" else raw.splitlines()
        for row, line in enumerate(lines, start=1):
            if (rel, row) in skip or not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(record, dict):
                out.append(record)
    return out


def canonical(records: list[dict]) -> set[bytes]:
    """Records compared as values: key order and serialisation aside, repeats counted once (as the
    loader counts a repeat: sources.md)."""
    return {orjson.dumps(r, option=orjson.OPT_SORT_KEYS) for r in records}


def serve(fake, landing: Path, day: date, skip) -> None:
    """Make the fake answer for `day` what the simulator delivered for it."""
    def recs(source, entity):
        return day_records(landing, source, entity, day, skip)

    start = int(datetime.combine(day, time(), ZoneInfo("Asia/Shanghai")).timestamp())
    w = fake.wecom.state
    w.day_start = start
    w.contacts = [r for r in recs("wecom", "external_contact") if r.get("follow_info", {}).get("userid")]
    w.groups = {}
    for r in recs("wecom", "group_chat"):
        w.groups.setdefault(r["group_chat"]["chat_id"], r["group_chat"])
    w.behavior = recs("wecom", "user_behavior")
    w.groupmsg = recs("wecom", "groupmsg_send")
    w.guides = list(dict.fromkeys(
        [c["follow_info"]["userid"] for c in w.contacts] + [g["owner"] for g in w.groups.values()]
        + [r["userid"] for r in w.behavior + w.groupmsg]))
    o = fake.oa.state
    o.users = {}
    for r in recs("oa", "user"):
        o.users.setdefault(r["openid"], r)
    o.followers = [k for k, r in o.users.items() if r.get("subscribe") == 1]
    y = fake.youzan.state
    y.day, y.trades, y.refunds = day.isoformat(), recs("youzan", "trade"), recs("youzan", "refund")


def expected(landing: Path, source: str, entity: str, day: date, skip) -> set[bytes]:
    """What a pull of that day must land, worked out from the export alone: its well-formed records,
    keyed snapshots once per key."""
    records = day_records(landing, source, entity, day, skip)
    key = {("oa", "user"): lambda r: r["openid"],
           ("wecom", "group_chat"): lambda r: r["group_chat"]["chat_id"]}
    if (source, entity) in key:
        first = {}
        for r in records:
            first.setdefault(key[(source, entity)](r), r)
        records = list(first.values())
    return canonical(records)
