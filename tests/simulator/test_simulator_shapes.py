"""The legitimate shapes the platforms send (issue 11, item 4): `_truth/shapes.csv` counts what the files
really hold, at the configured rates, and none of them is listed as a defect."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from simulator import SimConfig, simulate

sys.path.insert(0, str(Path(__file__).parent))  # the shared reader next to this file
import simulator_landing as sl  # noqa: E402

ID_CARD = re.compile(r"\b\d{17}[\dX]\b")
PLAIN_PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


@pytest.fixture(scope="module")
def brand(tmp_path_factory):
    root = tmp_path_factory.mktemp("shapes")
    simulate(root, customers=500, days=30, seed=5, end_date=date(2026, 10, 31))
    with (root / "_truth" / "shapes.csv").open(encoding="utf-8", newline="") as fh:
        shapes = {(r["entity"], r["shape"]): r for r in csv.DictReader(fh)}
    rows = defaultdict(list)
    for _, source, entity, _, _, rec in sl.genuine(root):
        rows[f"{source}/{entity}"].append(rec)
    return root, shapes, rows


def _count(shapes, entity: str, shape: str) -> int:
    return int(shapes[(entity, shape)]["count"]) if (entity, shape) in shapes else 0


def test_row_shapes_are_counted_from_what_the_files_hold(brand):
    """Recount each shape from the records themselves, independently of the simulator's bookkeeping."""
    _, shapes, rows = brand
    contacts = rows["wecom/external_contact"]
    yz = [r["full_order_info"] for r in rows["youzan/trade"]]
    groups = [r["group_chat"] for r in rows["wecom/group_chat"]]
    recount = {
        ("wecom/external_contact", "empty_remark"): sum(r["follow_info"]["remark"] == "" for r in contacts),
        ("wecom/external_contact", "empty_description"): sum(r["follow_info"]["description"] == ""
                                                             for r in contacts),
        ("wecom/external_contact", "blank_optional_id"): sum(r["external_contact"].get("unionid") == ""
                                                             for r in contacts),
        ("wecom/group_chat", "empty_group_name"): sum(g["name"] == "" for g in groups),
        ("wecom/group_chat", "blank_optional_id"): sum(any(m.get("unionid") == "" for m in g["member_list"])
                                                       for g in groups),
        ("wecom/message", "blank_optional_id"): sum(r.get("roomid") == "" for r in rows["wecom/message"]),
        ("wecom/contact_event", "xml_strings"): sum(isinstance(r["CreateTime"], str)
                                                    for r in rows["wecom/contact_event"]),
        ("oa/event", "blank_optional_id"): sum(r.get("EventKey") == "" for r in rows["oa/event"]),
        ("youzan/trade", "blank_optional_id"): sum(o["buyer_info"].get("outer_user_id") == "" for o in yz),
        ("youzan/trade", "string_booleans"): sum(isinstance(o["orders"][0]["is_present"], str) for o in yz),
        ("youzan/trade", "encrypted_phone"): sum(o["buyer_info"].get("buyer_phone", "").endswith("$1$")
                                                 for o in yz),
        ("youzan/trade", "blank_optional_time"): sum("" in (o["order_info"].get("pay_time"),
                                                            o["order_info"].get("success_time")) for o in yz),
    }
    for key, n in recount.items():
        assert _count(shapes, *key) == n, key
    assert all(n > 0 for key, n in recount.items() if key[1] != "empty_group_name")   # 8% of a few groups


def test_most_contacts_have_no_remark_and_rates_follow_the_config(brand):
    """Issue 11: the ordinary case is "" — about 65% of relations without a remark, 80% without a
    description. Per-record rates sit inside binomial bands of their configuration."""
    _, shapes, _ = brand
    rates = SimConfig().shapes

    def share(entity: str, shape: str) -> tuple[int, int]:
        r = shapes[(entity, shape)]
        return int(r["count"]), int(r["of"])

    # Drawn per record: a 4-sigma binomial band.
    for entity, shape, p in (("youzan/trade", "key_order", rates.key_order),
                             ("wecom/message", "key_order", rates.key_order),
                             ("wecom/contact_event", "xml_strings", rates.xml_strings)):
        k, n = share(entity, shape)
        assert abs(k - n * p) <= 4 * (n * p * (1 - p)) ** 0.5 + 1, (entity, shape, k, n)
    # Drawn per relation or order, repeated over snapshot days and versions: a wider band.
    for entity, shape, p in (("wecom/external_contact", "empty_remark", 1 - rates.remark_written),
                             ("wecom/external_contact", "empty_description", 1 - rates.description_written),
                             ("youzan/trade", "string_booleans", rates.string_booleans)):
        k, n = share(entity, shape)
        assert abs(k / n - p) < 0.08, (entity, shape, k, n)


def test_file_shapes_are_on_disk(brand):
    root, shapes, _ = brand
    files = sl.landing_files(root)
    crlf = [f for f in files if f.suffix == ".jsonl" and b"\r\n" in f.read_bytes()]
    boms = [f for f in files if f.suffix in (".jsonl", ".json") and f.read_bytes().startswith(sl.BOM)]
    parts = Counter(f.parent for f in files if re.search(r"-\d{3}\.jsonl$", f.name))
    group_files = [f for f in files if f.suffix == ".json"]
    entities = {e for e, _ in shapes}
    json_entities = {e for e in entities if not e.startswith(("org/", "leads/", "ads/", "tmall/", "pos/"))}
    assert sum(_count(shapes, e, "crlf_file") for e in entities) == len(crlf) > 0
    assert sum(_count(shapes, e, "bom_file") for e in json_entities) == len(boms) > 0
    split = sum(n for n in parts.values() if n > 1)
    assert sum(_count(shapes, e, "split_part") for e in entities) == split > 0
    assert _count(shapes, "wecom/group_chat", "group_file") == len(group_files) > 0
    for f in group_files:   # one pretty-printed object, named after its group
        assert json.loads(f.read_text(encoding="utf-8-sig"))["group_chat"]["chat_id"] in f.name


def test_skipped_snapshots_are_missing_days_and_the_truth_knows_them(brand):
    """A snapshot holds until the next: a skipped day has no folder, and the truth lists what was
    delivered (test_simulator_realism checks the friendships that end on the next delivered day)."""
    root, shapes, _ = brand
    manifest = json.loads((root / "_truth" / "manifest.json").read_text())
    planned = set(manifest["snapshot_dates"])
    skipped = 0
    for entity, days in manifest["snapshots_delivered"].items():
        folders = {p.name for p in (root / entity).iterdir()} if (root / entity).is_dir() else set()
        assert folders <= set(days) <= planned and min(planned) in days and max(planned) in days
        skipped += len(planned) - len(days)
        assert _count(shapes, entity, "snapshot_skipped") == len(planned) - len(days)
    assert skipped > 0


def test_unread_keys_carry_personal_data_a_warehouse_must_not_keep(brand):
    """Issue 18 item 6: plain phones, ID-card numbers and addresses sit in keys no contract reads."""
    root, shapes, rows = brand
    messages = [ln["buyer_messages"] for r in rows["youzan/trade"] for ln in r["full_order_info"]["orders"]
                if ln["buyer_messages"]]
    assert messages and all(ID_CARD.search(json.dumps(m, ensure_ascii=False)) for m in messages)
    addresses = [r["full_order_info"]["address_info"] for r in rows["youzan/trade"]]
    assert any(PLAIN_PHONE.fullmatch(a["receiver_tel"]) for a in addresses)
    assert any(PLAIN_PHONE.search(r["buyer_words"]) for r in rows["douyin/order"])
    assert _count(shapes, "youzan/trade", "unread_personal_data") > 0


def test_no_shape_is_a_defect(brand):
    root, shapes, _ = brand
    assert {r["expected"] for r in shapes.values()} == {"loaded", "duplicate"}
    listed = {(r["defect"], r["expected"]) for r in sl.truth(root, "defects")}
    assert {e for d, e in listed if d in {s for _, s in shapes}} == {"loaded"}


def test_a_big_brand_sends_only_its_first_groups_one_per_file(tmp_path, monkeypatch):
    """Per-group files are capped per day (a million-customer brand has ~8,000 groups); the rest of
    that day's groups stay in the JSONL dump of the same folder."""
    from simulator import sink

    monkeypatch.setattr(sink, "GROUP_FILES_PER_DAY", 1)
    simulate(tmp_path, customers=300, days=20, seed=7)
    folders = {f.parent for f in sl.landing_files(tmp_path) if f.suffix == ".json"}
    assert folders
    for folder in folders:
        names = sorted(f.suffix for f in folder.iterdir())
        assert names == [".json", ".jsonl"], folder
