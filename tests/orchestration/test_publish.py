"""The published copy: every mart, text that a spreadsheet would run as a formula neutralised, and a
path with a quote in it."""

import duckdb

from orchestration.publish import publish


def test_publish_neutralises_formulas_and_takes_any_path(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.t as select * from (values "
        "('=HYPERLINK(\"http://x\")', 1), ('+86', 2), ('-1', 3), ('@SUM(A1)', 4), ('store_qr', 5), "
        "(null, 6), ('a=b', 7)) v(campaign, n)"
    )
    target = tmp_path / "brand's copy" / "published.duckdb"
    assert publish(con, target) == {"marts.t": 7}
    with duckdb.connect(str(target), read_only=True) as pub:
        assert pub.execute("select campaign from marts.t order by n").fetchall() == [
            ('\'=HYPERLINK("http://x")',),
            ("'+86",),
            ("'-1",),
            ("'@SUM(A1)",),
            ("store_qr",),
            (None,),
            ("a=b",),
        ]
