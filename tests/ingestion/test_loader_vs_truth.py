"""Property over simulated data: every defect the simulator injected is found where its truth says
(quarantined with that reason, or counted as an exact duplicate), and no clean row is quarantined."""

from collections import Counter

import duckdb
import pandas as pd
import pytest

from ingestion.landing.layout import discover
from ingestion.load.loader import ensure_raw_schema, load_partition, record_unknown_files
from simulator import simulate


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("truth")
    landing = root / "landing"
    simulate(landing, customers=250, days=14, seed=5)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    ensure_raw_schema(con)
    found = discover(landing)
    for (source, entity), days in found.partitions.items():
        for day in days:
            load_partition(con, landing, source, entity, day, b"truth-salt")
    record_unknown_files(con, found)
    defects = pd.read_csv(landing / "_truth" / "defects.csv", dtype={"row_number": "Int64"})
    yield con, defects
    con.close()


def test_every_quarantine_defect_is_quarantined_with_its_reason(loaded):
    con, defects = loaded
    quarantined = {(f, int(r), reason) for f, r, reason in con.execute(
        "select file, row_number, reason from raw._quarantine where row_number is not null").fetchall()}
    expected = defects[~defects.expected.isin(["loaded", "duplicate", "dedupe"]) & defects.row_number.notna()]
    assert len(expected) > 20, "the simulator should inject row defects at this scale"
    wanted = expected[["file", "row_number", "expected"]].itertuples(index=False)
    missing = [(f, int(r), e) for f, r, e in wanted if (f, int(r), e) not in quarantined]
    assert missing == []


def test_no_clean_row_is_quarantined(loaded):
    con, defects = loaded
    rows = defects[defects.row_number.notna()][["file", "row_number"]].itertuples(index=False)
    listed = {(f, int(r)) for f, r in rows}
    stray = [row for row in con.execute(
        "select file, row_number, reason from raw._quarantine where row_number is not null").fetchall()
        if (row[0], int(row[1])) not in listed]
    assert stray == []


def test_exact_duplicates_are_counted_per_file(loaded):
    con, defects = loaded
    expected = Counter(defects[defects.expected == "duplicate"].file)
    per_file = con.execute("select file, sum(duplicates) from raw._load_log group by file").fetchall()
    counted = {f: d for f, d in per_file if d}
    assert sum(expected.values()) > 0
    assert counted == dict(expected)


def test_every_file_accounts_for_every_row(loaded):
    con, _ = loaded
    unbalanced = con.execute("select file from raw._load_log "
                             "where rows_offered != rows_loaded + duplicates + quarantined").fetchall()
    assert unbalanced == []
