"""The suppression list at load: a record naming an erased person's identifier is dropped and
counted as suppressed, a group member or recipient is taken out of its list, and every identifier
field of every contract is either mapped to an id type or declared as naming no person."""

import hashlib
import hmac
import json

import duckdb
import pytest
from test_loader_support import SALT, T0, contact_event, jsonl, land, load, openid, rows

from ingestion.contracts import CONTRACTS
from ingestion.contracts.ddl import raw_columns
from ingestion.erasure.id_columns import NOT_PERSON_IDS, RECORD_TYPES, columns_of, id_types
from ingestion.erasure.suppression import (
    DDL,
    Suppressor,
    entry,
    keyed_sql,
    pads,
    stored_value,
    suppression_key,
)
from ingestion.normalise.phones import hash_phone


def suppress(con, *ids: tuple[str, str]) -> None:
    """Put (id_type, value as given) on the list, as `siyu forget` does."""
    key = suppression_key(SALT)
    con.execute(DDL)
    for id_type, value in ids:
        con.execute(
            "insert or ignore into raw._suppressed values (?, ?, 'r1', now())",
            [entry(key, id_type, stored_value(id_type, value, SALT)), id_type],
        )


def test_the_keyed_hash_in_duckdb_is_hmac_sha256():
    key = suppression_key(b"a warehouse secret")
    values = [("tmall_buyer_nick", "小明的店 tb_01"), ("phone", "ab" * 32), ("unionid", "o6_x'y")]
    con = duckdb.connect()
    got = con.execute(
        f"select {keyed_sql('t', 'v')} from (select unnest($t) as t, unnest($v) as v)",
        {"t": [t for t, _ in values], "v": [v for _, v in values], **pads(key)},
    ).fetchall()
    expected = [hmac.new(key, f"{t}:{v}".encode(), hashlib.sha256).hexdigest() for t, v in values]
    assert [g for (g,) in got] == expected
    assert key != hmac.new(b"a warehouse secret", b"siyu customer id v1", hashlib.sha256).digest()


def test_every_identifier_field_is_mapped_or_names_no_person():
    types = set(id_types()) | set(RECORD_TYPES)
    for (source, entity), contract in CONTRACTS.items():
        cols = columns_of(source, entity)
        stored = dict(raw_columns(contract))
        assert {c.column for c in cols} <= set(stored), (source, entity)
        assert {c.id_type for c in cols} <= types, (source, entity)
        mapped = {c.column for c in cols} | {f"{c.column}[].{c.key}" for c in cols if c.key}
        for f in contract.fields:
            names = [f.name] if f.kind == "id" else []
            names += [f"{f.name}[].{i.name}" for i in f.items if i.kind == "id"]
            if f.type in ("phone", "phone_list"):
                names = [f"{f.name}_{'hash' if f.type == 'phone' else 'hashes'}"]
            for name in names:
                assert name in mapped or name in NOT_PERSON_IDS or f.name in mapped, (source, entity, name)


def test_a_suppressed_phone_drops_its_records_and_counts_them(tmp_path, con):
    T = T0 * 1000  # noqa: N806
    land(
        tmp_path,
        "mp",
        "user",
        "u.jsonl",
        jsonl(
            [
                {
                    "openid": openid("oA"), "unionid": "uA", "phone_number": "138 1234 5678", "created_at": T
                },
                {"openid": openid("oB"), "unionid": "uB", "phone_number": "13912345678", "created_at": T},
                {"openid": openid("oA2"), "phone_number": "+8613812345678"},  # no created_at, and A's
                {"openid": openid("oC"), "phone_number": "13712345678"},  # quarantined, not A's
            ]
        ),
    )
    suppress(con, ("phone", "13812345678"))
    r = load(con, tmp_path, "mp", "user")
    assert [x["openid"] for x in rows(con, "select openid from raw.mp__user")] == [openid("oB")]
    assert [x["row_number"] for x in rows(con, "select row_number from raw._quarantine")] == [4]
    assert (r.rows_offered, r.rows_loaded, r.quarantined, r.suppressed) == (4, 1, 1, 2)
    assert r.reasons == {"missing_required_field": 1}
    log = con.execute(
        "select rows_offered, rows_loaded, quarantined, suppressed from raw._load_log"
    ).fetchall()
    assert log == [(4, 1, 1, 2)]
    phone = hash_phone("+8613812345678", SALT)
    dump = str(con.execute("select * from raw.mp__user").fetchall())
    dump += str(con.execute("select * from raw._quarantine").fetchall())
    assert phone not in dump and "oA" not in dump


def test_a_suppressed_member_leaves_the_group_and_one_to_one_messages_go(tmp_path, con):
    member = {"type": 2, "join_time": T0, "join_scene": 3}
    chat = {
        "chat_id": "wr1",
        "owner": "guide01",
        "create_time": T0,
        "member_list": [
            {"userid": "guide01", "type": 1, "join_time": T0},
            {**member, "userid": "wmA", "unionid": "uA"},
            {**member, "userid": "wmB", "unionid": "uB"},
        ],
    }
    land(tmp_path, "wecom", "group_chat", "g.jsonl", jsonl([chat]))
    msg = {"action": "send", "from": "guide01", "msgtime": T0 * 1000, "msgtype": "text"}
    land(
        tmp_path,
        "wecom",
        "message",
        "m.jsonl",
        jsonl(
            [
                {**msg, "msgid": "1", "tolist": ["wmA"]},
                {**msg, "msgid": "2", "tolist": ["wmA", "wmB"], "roomid": "wr1"},
                {**msg, "msgid": "3", "from": "wmA", "tolist": ["guide01"]},
                {**msg, "msgid": "4", "tolist": ["wmB"]},
            ]
        ),
    )
    land(
        tmp_path,
        "wecom",
        "contact_event",
        "e.jsonl",
        jsonl([contact_event(1, ExternalUserID="wmA"), contact_event(2, ExternalUserID="wmB")]),
    )
    suppress(con, ("unionid", "uA"), ("external_userid", "wmA"))
    assert load(con, tmp_path, "wecom", "group_chat").suppressed == 0
    members = json.loads(con.execute("select member_list from raw.wecom__group_chat").fetchone()[0])
    assert [m["userid"] for m in members] == ["guide01", "wmB"] and members[1]["unionid"] == "uB"
    assert load(con, tmp_path, "wecom", "message").suppressed == 2
    kept = rows(con, "select msgid, tolist from raw.wecom__message order by msgid")
    assert [(k["msgid"], json.loads(k["tolist"])) for k in kept] == [("2", ["wmB"]), ("4", ["wmB"])]
    assert load(con, tmp_path, "wecom", "contact_event").suppressed == 1


def test_nothing_is_computed_while_the_list_is_empty(con):
    assert Suppressor.of(con, SALT) is None
    con.execute(DDL)
    assert Suppressor.of(con, SALT) is None


def test_stored_values_are_the_loaders():
    assert stored_value("phone", "(0086)138-1234-5678", SALT) == hash_phone("+8613812345678", SALT)
    assert stored_value("pos_card_no", " 13812345678 ", SALT) == hash_phone("+8613812345678", SALT)
    assert stored_value("unionid", " o6_abc ", SALT) == "o6_abc"
    for bad in ("138****5678", "12345", ""):
        with pytest.raises(ValueError):
            stored_value("phone", bad, SALT)
