"""Simulator output against the source contracts: every genuine row is valid; every injected defect
breaks its row in exactly the way `_truth/defects.csv` says; defect counts follow the configured rates."""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from ingestion.contracts import CONTRACTS, QUARANTINE_REASONS
from ingestion.contracts.model import EARLIEST_TIME, FUTURE_GRACE_DAYS
from ingestion.simulator import SimConfig, simulate

sys.path.insert(0, str(Path(__file__).parent))  # the shared reader next to this file
from simulator_landing import defect_rows, records  # noqa: E402

BJ = timezone(timedelta(hours=8))
EARLIEST = datetime.fromisoformat(EARLIEST_TIME).timestamp()
COPIES = ("duplicate_push", "retry_later", "truncated_json", "wrong_field_count", "future_time",
          "pre_2010_time", "unknown_enum", "missing_required")


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    simulate(root, customers=600, days=30, seed=11, end_date=date(2026, 10, 31))
    return root


def _value(contract, rec: dict, f):
    node = rec
    if contract.root and isinstance(rec, dict) and contract.root in rec:
        node = rec[contract.root]
    if f.path in node:   # CSV headers (Chinese) and flat JSON keys
        return node[f.path]
    for part in f.path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _blank(v) -> bool:
    return v is None or v == ""


def _epoch(f, v) -> float | None:
    if f.type == "local_ts":
        return datetime.strptime(v, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BJ).timestamp()
    n = int(v)
    if n == 0 and f.zero_is_null:
        return None
    return n / 1000 if f.type == "epoch_ms" else n


def verdict(contract, day: str, rec) -> str | None:
    """The quarantine reason a strict loader must give this record, or None if it is valid."""
    if rec is None:
        return "unparseable_record"
    values = {f.name: _value(contract, rec, f) for f in contract.fields}
    for f in contract.fields:
        need = f.required
        if f.required_when:
            other, wanted = f.required_when
            need = need or str(values[other]) == str(wanted)
        if need and _blank(values[f.name]):
            return "missing_required_field"
    if any(all(_blank(values[c]) for c in group) for group in contract.require_any):
        return "missing_required_field"
    for f in contract.fields:
        v = values[f.name]
        if _blank(v):
            continue
        if f.enum and (int(v) if isinstance(f.enum[0], int) else v) not in f.enum:
            return "unknown_enum_value"
        if f.type in ("yuan", "fen"):
            try:
                amount = Decimal(str(v).replace("元", "").replace(",", ""))
            except InvalidOperation:
                return "unparseable_amount"
            if amount < 0 and not f.allow_negative:
                return "negative_amount"
        if f.type in ("epoch_s", "epoch_ms", "local_ts"):
            t = _epoch(f, v)
            if t is None:
                continue
            if t < EARLIEST:
                return "time_before_2010"
            day_end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), datetime.min.time(), BJ)
            if t > day_end.timestamp() + FUTURE_GRACE_DAYS * 86_400:
                return "time_in_future"
    return None


def _within(k: int, n: int, p: float) -> bool:
    """k hits out of n trials at rate p: present, and inside a 4-sigma binomial band."""
    mean = n * p
    return k > 0 and abs(k - mean) <= 4 * math.sqrt(mean * (1 - p)) + 1


def test_every_row_is_valid_unless_listed_as_a_defect_and_then_fails_as_listed(landing):
    listed = defect_rows(landing)
    seen, mismatches = set(), []
    for rel, source, entity, day, row, rec in records(landing):
        contract = CONTRACTS[(source, entity)]
        expected = [e for _, e in listed.get((rel, str(row)), []) if e in QUARANTINE_REASONS]
        got = verdict(contract, day, rec)
        if got != (expected[0] if expected else None):
            mismatches.append((rel, row, got, expected))
        seen.add((rel, str(row)))
    assert not mismatches[:5], f"{len(mismatches)} rows disagree with _truth/defects.csv"
    # Every row-level defect names a row that exists.
    assert {k for k in listed if k[1]} <= seen


def test_csv_headers_are_the_contract_columns(landing):
    for rel, source, entity, _, row, rec in records(landing):
        if row == 1 and rel.endswith((".csv", ".xlsx")) and rec is not None:
            assert list(rec) == [f.path for f in CONTRACTS[(source, entity)].fields], rel


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
            genuine["json" if rel.endswith(".jsonl") else "xlsx" if rel.endswith(".xlsx") else "csv"] += 1
    opportunities = manifest["defect_opportunities"]
    assert opportunities["truncated_json"] == genuine["json"]
    assert opportunities["wrong_field_count"] == genuine["csv"]
    assert opportunities["duplicate_push"] == genuine["json"] + genuine["csv"] + genuine["xlsx"]
    assert genuine["xlsx"] > 0
