"""Edits of a simulated landing that test_incremental_nights.py makes between nights, as deliveries
do: a day's Youzan orders re-delivered one order short, an order planted that links a Youzan buyer
to a lead's phone, and taken away again."""

import json
import re

import duckdb

PLANTED_TID = "E20990101000000000001"


def tid(line: str) -> str | None:
    """An order line's tid (the simulator writes some files with a BOM, as some exports do)."""
    line = line.lstrip("\ufeff").strip()
    return json.loads(line)["full_order_info"]["order_info"]["tid"] if line else None


def drop_last_order(landing, day):
    """A day's Youzan orders re-delivered without the last order no later folder updates (a smaller
    file, a new mtime): the order's kept version was this day's, and now is an earlier one or none."""
    folder = landing / "youzan" / "trade"
    (path,) = sorted((folder / day.isoformat()).glob("*.jsonl"))
    later = {
        tid(line)
        for other in folder.glob("*/*.jsonl") if other.parent.name > day.isoformat()
        for line in other.read_text(encoding="utf-8").splitlines()
    }
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = max(n for n, line in enumerate(lines) if tid(line) and tid(line) not in later)
    path.write_text("".join(lines[:dropped] + lines[dropped + 1:]), encoding="utf-8")
    return tid(lines[dropped])


def merge_pair(settings, landing):
    """A Youzan buyer and a lead-only customer (a clue id and a phone, nothing else), and a
    Youzan order line of the buyer and the lead's phone, from what the warehouse and landing hold."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        leads = con.execute(
            "select min(id_value) filter (where id_type = 'clue_id'), customer_id "
            "from identity.customer_map group by customer_id "
            "having count(*) filter (where id_type not in ('clue_id', 'phone')) = 0 "
            "and count(*) filter (where id_type = 'clue_id') = 1 order by 1"
        ).fetchall()
        buyers = dict(con.execute(
            "select id_value, customer_id from identity.customer_map where id_type = 'yz_open_id'"
        ).fetchall())
    phones = {}
    for path in sorted((landing / "leads" / "oceanengine").glob("*/*.csv")):
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            clue_id, _, telephone = line.split(",")[:3]
            if re.fullmatch(r"(\+86)?1\d{10}", telephone):  # not a masked or encrypted one
                phones[clue_id] = telephone
    clue_id, lead_customer = next((c, k) for c, k in leads if phones.get(c))
    for path in sorted((landing / "youzan" / "trade").glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            yz_open_id = record["full_order_info"]["buyer_info"].get("yz_open_id")
            if yz_open_id in buyers and buyers[yz_open_id] != lead_customer:
                return record, phones[clue_id], yz_open_id, clue_id
    raise AssertionError("no Youzan buyer to merge with a lead")


def plant_order(landing, day, record, phone):
    """One more order of the buyer, paid with the lead's phone, appended to the day's orders."""
    info = record["full_order_info"]
    info["order_info"]["tid"] = PLANTED_TID
    info["buyer_info"]["buyer_phone"] = phone
    for n, line in enumerate(info.get("orders") or []):
        line["oid"] = f"{PLANTED_TID}{n}"
    (path,) = sorted((landing / "youzan" / "trade" / day.isoformat()).glob("*.jsonl"))
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def unplant_order(landing, day):
    (path,) = sorted((landing / "youzan" / "trade" / day.isoformat()).glob("*.jsonl"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if PLANTED_TID not in line]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")
