"""The published copy: every mart, text that a spreadsheet would run as a formula neutralised,
identifiers as keyed hashes, and a path with a quote in it."""

import hashlib
import hmac
import re

import duckdb

from orchestration.publish import FORMULA_CODES, FORMULA_START, publish

SALT = b"publish-test-salt"


def test_publish_neutralises_formulas_and_takes_any_path(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.t as select * from (values "
        "('=HYPERLINK(\"http://x\")', 1), ('+86', 2), ('-1', 3), ('@SUM(A1)', 4), ('store_qr', 5), "
        "(null, 6), ('a=b', 7), (chr(9) || 'tab', 8), (chr(13) || 'cr', 9), (chr(10) || '=lf', 10), "
        "('', 11), ('＝全角', 12), ('中=', 13)) v(campaign, n)"
    )
    target = tmp_path / "brand's copy" / "published.duckdb"
    assert publish(con, target, secret=SALT) == {"marts.t": 13}
    with duckdb.connect(str(target), read_only=True) as pub:
        assert pub.execute("select campaign from marts.t order by n").fetchall() == [
            ('\'=HYPERLINK("http://x")',),
            ("'+86",),
            ("'-1",),
            ("'@SUM(A1)",),
            ("store_qr",),
            (None,),
            ("a=b",),
            ("'\ttab",),
            ("'\rcr",),
            ("\n=lf",),
            ("",),
            ("＝全角",),
            ("中=",),
        ]
    # the SQL test is the guide exports' regular expression (export_guides.FORMULA)
    texts = [row[0] for row in con.execute("select campaign from marts.t order by n").fetchall()]
    neutralised = [row[0] for row in con.execute(
        f"select ascii(campaign) in ({FORMULA_CODES}) from marts.t order by n").fetchall()]
    assert neutralised == [None if t is None else bool(re.match(FORMULA_START, t)) for t in texts]


def _expected(salt: bytes, value: str) -> str:
    # the documented derivation, computed with Python's hmac (publish computes it in SQL)
    key = hmac.new(salt, b"siyu published identifier v1", hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _identity_marts(path):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.identity_map as select * from (values "
        "('unionid', 'oUnion中文_1', 'c_1'), ('external_userid', 'wmEXT-2', 'c_1'), "
        "('pos_card_no', '=1+1', null)) v(id_type, id_value, customer_id)"
    )
    con.execute(
        "create table marts.identity_rejected as select * from (values "
        "('external_userid', 'wmEXT-2', 'unique_type_veto:unionid'), ('phone', null, 'x')) "
        "v(id_type, id_value, reason)"
    )
    return con


def test_identifiers_are_published_as_keyed_hashes_that_still_join(tmp_path):
    con = _identity_marts(tmp_path / "w.duckdb")
    target = tmp_path / "published.duckdb"
    publish(con, target, secret=SALT)
    with duckdb.connect(str(target), read_only=True) as pub:
        rows = pub.execute("select id_type, id_value, customer_id from marts.identity_map order by 1")
        rows = rows.fetchall()
        rejected = pub.execute("select id_value, reason from marts.identity_rejected order by 2").fetchall()
    assert rows == [
        ("external_userid", _expected(SALT, "wmEXT-2"), "c_1"),
        ("pos_card_no", _expected(SALT, "=1+1"), None),  # hashed, so nothing is left to neutralise
        ("unionid", _expected(SALT, "oUnion中文_1"), "c_1"),
    ]
    # the same identifier is the same hash in both marts; a missing one stays missing
    assert rejected == [(_expected(SALT, "wmEXT-2"), "unique_type_veto:unionid"), (None, "x")]
    # neither the phone hash of the value (HMAC under the salt itself) nor an unkeyed sha256
    assert rows[0][1] != hmac.new(SALT, b"wmEXT-2", hashlib.sha256).hexdigest()
    assert rows[0][1] != hashlib.sha256(b"wmEXT-2").hexdigest()


def test_another_salt_gives_other_published_identifiers(tmp_path):
    con = _identity_marts(tmp_path / "w.duckdb")
    publish(con, tmp_path / "a.duckdb", secret=SALT)
    publish(con, tmp_path / "b.duckdb", secret=b"another-salt")
    values = []
    for name in ("a", "b"):
        with duckdb.connect(str(tmp_path / f"{name}.duckdb"), read_only=True) as pub:
            values.append(pub.execute("select id_value from marts.identity_map order by id_type").fetchall())
    assert values[1] == [(_expected(b"another-salt", v),) for v in ("wmEXT-2", "=1+1", "oUnion中文_1")]
    assert not set(values[0]) & set(values[1])


def test_parquet_export_holds_the_published_rows_and_replaces_only_its_own_folder(tmp_path):
    import pandas as pd
    import pytest

    from orchestration.publish import MARKER, export_parquet
    from orchestration.settings import ConfigError

    con = _identity_marts(tmp_path / "w.duckdb")
    target = tmp_path / "published.duckdb"
    publish(con, target, secret=SALT)
    out = tmp_path / "parquet"
    assert export_parquet(target, out) == {"identity_map": 3, "identity_rejected": 2}
    frame = pd.read_parquet(out / "identity_map.parquet").sort_values("id_type")
    assert list(frame["id_value"]) == [_expected(SALT, "wmEXT-2"), _expected(SALT, "=1+1"),
                                       _expected(SALT, "oUnion中文_1")]  # the copy's hashes, no raw id
    # the next night replaces its own folder: a mart gone from the copy is gone from the folder
    con.execute("drop table marts.identity_rejected")
    publish(con, target, secret=SALT)
    assert export_parquet(target, out) == {"identity_map": 3}
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "identity_map.parquet"]
    assert not (tmp_path / "parquet.tmp").exists() and not (tmp_path / "parquet.old").exists()
    # a folder it did not write is never replaced or deleted
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "budget.parquet").write_text("not ours")
    with pytest.raises(ConfigError, match="did not write"):
        export_parquet(target, theirs)
    assert (theirs / "budget.parquet").read_text() == "not ours" and not (tmp_path / "theirs.tmp").exists()
