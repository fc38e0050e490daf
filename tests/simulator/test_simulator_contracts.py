"""Simulator output against docs/sources.md: every genuine row is valid; every injected defect breaks
its row in exactly the way `_truth/defects.csv` says (reason and field); defect counts follow the rates.

Rows are judged by simulator_sources.py, a reading of sources.md kept apart from the loader's contracts
and from the simulator's own platform.py, so a shape wrong in either shows up here."""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ingestion.contracts import QUARANTINE_REASONS
from simulator import SimConfig, simulate
from simulator.config import DefectRates

sys.path.insert(0, str(Path(__file__).parent))  # the shared readers next to this file
import simulator_sources as spec  # noqa: E402
from simulator_landing import defect_rows, records  # noqa: E402

COPIES = ("duplicate_push", "retry_later", "truncated_json", "wrong_field_count", "future_time",
          "pre_2010_time", "unknown_enum", "missing_required")


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    simulate(root, customers=600, days=30, seed=11, end_date=date(2026, 10, 31))
    return root


def _within(k: int, n: int, p: float) -> bool:
    """k hits out of n trials at rate p: present, and inside a 4-sigma binomial band."""
    mean = n * p
    return k > 0 and abs(k - mean) <= 4 * math.sqrt(mean * (1 - p)) + 1


def test_every_row_is_valid_unless_listed_as_a_defect_and_then_fails_as_listed(landing):
    """Free text may be "" or absent, optional ids may be "", unknown keys are fine; a listed defect
    fails with its reason, and a missing-field defect names the field it removed."""
    listed = defect_rows(landing, with_field=True)
    seen, mismatches = set(), []
    for rel, source, entity, day, row, rec in records(landing):
        expected = [(e, f) for _, e, f in listed.get((rel, str(row)), []) if e in QUARANTINE_REASONS]
        got = spec.verdict(f"{source}/{entity}", day, rec)
        want = expected[0] if expected else None
        if got != want and not (got and want and got[0] == want[0] and not want[1]):
            mismatches.append((rel, row, got, expected))
        seen.add((rel, str(row)))
    assert not mismatches[:5], f"{len(mismatches)} rows disagree with _truth/defects.csv"
    # Every row-level defect names a row that exists.
    assert {k for k in listed if k[1]} <= seen


def test_nested_lines_lose_their_ids_and_the_defect_names_the_field(tmp_path):
    """Issue 18: a Douyin line without its order_id (a Youzan line without its oid) quarantines its order
    with a reason naming `sku_order_list[].order_id` (`orders[].oid`). Free text is never the field a
    missing-field defect removes (sources.md: an absent name or remark is not a reason)."""
    cfg = SimConfig(defects=DefectRates(missing_required=0.1))
    simulate(tmp_path, customers=200, days=10, seed=3, config=cfg)
    listed = defect_rows(tmp_path, with_field=True)
    broken = Counter()
    for rel, source, entity, day, row, rec in records(tmp_path):
        fields = [f for d, _, f in listed.get((rel, str(row)), []) if d == "missing_required"]
        if fields:
            assert spec.verdict(f"{source}/{entity}", day, rec) == ("missing_required_field", fields[0])
            broken[fields[0]] += 1
    assert broken["sku_order_list[].order_id"] > 0 and broken["orders[].oid"] > 0
    free_text = {f["path"].split(".")[-1] for e in spec.ENTITIES for f in spec.fields(e)
                 if f["kind"] == "text"}
    assert not {f for f in broken if f.split(".")[-1] in free_text}


def test_csv_headers_are_the_sources_columns_then_the_exports_own(landing):
    """sources.md's columns in its order; Tmall's export carries more columns after them (address,
    buyer note, shipping), which a reader must ignore."""
    trailing = {"tmall/trade": ["收货地址", "买家留言", "运送方式"]}
    for rel, source, entity, _, row, rec in records(landing):
        if row == 1 and rel.endswith((".csv", ".xlsx")) and rec is not None:
            columns = [f["path"] for f in spec.fields(f"{source}/{entity}")]
            assert list(rec) == columns + trailing.get(f"{source}/{entity}", []), rel


def test_defect_counts_follow_the_configured_rates(landing):
    manifest = json.loads((landing / "_truth" / "manifest.json").read_text())
    rates = SimConfig().defects
    counts = Counter(d for rows in defect_rows(landing).values() for d, _ in rows)
    for kind, n in manifest["defect_opportunities"].items():
        assert _within(counts[kind], n, getattr(rates, kind)), (kind, counts[kind], n)
    assert counts["test_account"] > 0 and counts["late_event"] > 0
    assert counts["bom_file"] > 0 and counts["gbk_file"] > 0 and counts["gb18030_file"] > 0


def test_export_quirks_follow_their_rates(landing):
    """Tmall rows with ="…" or 元, and UTF-8 CSV files (org/store aside) saved with a BOM."""
    rates = SimConfig().defects
    listed = defect_rows(landing)
    tmall = [(rel, row) for rel, source, entity, _, row, _ in records(landing)
             if (source, entity) == ("tmall", "trade")
             and not any(e != "loaded" for _, e in listed.get((rel, str(row)), []))]
    for kind in ("excel_text_id", "yuan_suffix"):
        k = sum(any(d == kind for d, _ in listed.get((rel, str(row)), [])) for rel, row in tmall)
        assert _within(k, len(tmall), getattr(rates, kind)), kind
    files = [p.relative_to(landing).as_posix() for p in landing.rglob("*.csv") if not p.name.startswith("_")]
    eligible = [f for f in files if f.split("/")[0] not in ("tmall", "pos", "_truth") and "/store/" not in f]
    boms = {f for (f, row), rows in listed.items() if not row and any(d == "bom_file" for d, _ in rows)}
    assert _within(len(boms & set(eligible)), len(eligible), rates.bom_file)


def test_defect_opportunities_match_the_genuine_rows_on_disk(landing):
    """The rates' denominators are the real record counts, not bookkeeping the simulator invented."""
    manifest = json.loads((landing / "_truth" / "manifest.json").read_text())
    copies = {k for k, rows in defect_rows(landing).items() if any(d in COPIES for d, _ in rows)}
    genuine = Counter()
    for rel, source, _, _, row, _ in records(landing):
        if source != "org" and (rel, str(row)) not in copies:
            genuine[rel.rsplit(".", 1)[1]] += 1
    opportunities = manifest["defect_opportunities"]
    # A group chat delivered in a file of its own (.json) takes no copies: a second file or a garbled one.
    assert opportunities["truncated_json"] == genuine["jsonl"]
    assert opportunities["wrong_field_count"] == genuine["csv"]
    assert opportunities["duplicate_push"] == genuine["jsonl"] + genuine["csv"] + genuine["xlsx"]
    assert genuine["xlsx"] > 0 and genuine["json"] > 0
