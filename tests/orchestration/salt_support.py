"""Shared by the salt and demo tests (no tests here): hand-made lead files with phones, and the
landing asset run through Dagster with the Warehouse resource, as `siyu ui`'s runs are."""

from __future__ import annotations

import hashlib
import hmac
import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster
import duckdb

from orchestration.defs.ingestion import landing_assets
from orchestration.defs.partitions import RANGE_END_TAG as ASSET_PARTITION_RANGE_END_TAG
from orchestration.defs.partitions import RANGE_START_TAG as ASSET_PARTITION_RANGE_START_TAG
from orchestration.defs.partitions import daily_partitions

DAILY = daily_partitions()

# Two salts a brand could really use: 43 characters from secrets.token_urlsafe(32), written out so
# the tests are deterministic.
SALT_A = "Jq3v0Zr8Wm1kT5xYb7Nc2Ld9Pf4Hs6Ga0Ue8Ri1Ko3Qw"
SALT_B = "u7Xe2Mc5Vb8Nn1Lq4Kw9Jr3Hp6Gs0Fd2Dt5Sa8Zy1Tx"
DAY = date(2026, 10, 1)
LEADS = ("leads", "oceanengine")
HEADER = "clue_id,create_time_detail,telephone,clue_source,clue_type,clue_state,advertiser_id,promotion_id"
# Mainland mobiles in the shapes a lead form sends them; their E.164 is what the loader keys.
PHONES = {"138 0013 8000": "+8613800138000", "+86 139-0013-9000": "+8613900139000",
          "15000150000": "+8615000150000"}


@contextmanager
def environment_kept():
    """`siyu` commands export their settings to os.environ (dbt reads them there): put it back."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def land_leads(landing: Path, day: date = DAY) -> Path:
    """One day of Ocean Engine leads, one lead per phone of PHONES."""
    folder = landing / LEADS[0] / LEADS[1] / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    rows = [f"c{day:%m%d}{i},{day} 10:0{i}:00,{phone},form,form,new,adv1,pr1"
            for i, phone in enumerate(PHONES)]
    path = folder / "leads.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def keyed(salt: str, e164: str) -> str:
    """The phone hash the contract promises, computed here independently of the loader."""
    return hmac.new(salt.encode(), e164.encode(), hashlib.sha256).hexdigest()


def lead_hashes(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {h for (h,) in con.execute("select telephone_hash from raw.leads__oceanengine").fetchall()}


def run_landing(warehouse, first: date, last: date, keys=(LEADS,)):
    """Run the landing multi-asset for `keys` over [first, last] with `warehouse` as its resource;
    the Dagster result (not raised: a refusal is a failed run)."""
    job = dagster.define_asset_job(
        "nightly", partitions_def=DAILY,
        selection=dagster.AssetSelection.assets(*(dagster.AssetKey(list(k)) for k in keys)),
    )
    defs = dagster.Definitions(assets=landing_assets(DAILY), jobs=[job], resources={"warehouse": warehouse})
    tags = {ASSET_PARTITION_RANGE_START_TAG: str(first), ASSET_PARTITION_RANGE_END_TAG: str(last)}
    return defs.resolve_job_def("nightly").execute_in_process(
        instance=dagster.DagsterInstance.ephemeral(), raise_on_error=False, tags=tags
    )


def failure_text(result) -> str:
    """Every error message of a failed run, causes included."""
    out = []
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        while error is not None:
            out.append(error.message)
            error = error.cause
    return "\n".join(out)


def landing_days(landing: Path) -> tuple[date, date]:
    days = sorted(date.fromisoformat(p.name) for p in landing.glob("*/*/*") if p.is_dir())
    return days[0], days[-1]


def digests(root: Path) -> dict[str, str]:
    """relative path → sha256 of every file under root (links not followed)."""
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
