"""Equivalent deliveries give identical marts (a digest of every mart table, not row counts).

One simulated brand is built two ways: as simulated in one run, and with every file delivered in
other but equivalent bytes (landing_variants.equivalent_bytes: parts, renames, CRLF, BOM, CSV
exports as .xlsx, in GB18030 or with their columns reordered and quoted, extensions in capitals,
JSON arrays (indented too), retries in the same and the next day's folder, events a day late,
re-serialised records with added keys, unfilled personal free text). The third
way, night by night as the days arrive (a day delivered again unchanged, late deletions, a skipped
snapshot, a merge and a split), is test_incremental_nights.py, which compares its marts with one
run over the same folder.
"""

import json
import shutil
from datetime import date

import duckdb
import pytest
from landing_variants import equivalent_bytes, saved_twice
from marts_digest import differences, marts_digest
from small_brand import SMALL_BRAND, SMALL_BRAND_SALT

from orchestration.pipeline import run_pipeline

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("no_night_workers")]
SALT = SMALL_BRAND_SALT  # the original's: phone hashes and customer ids are keyed with it
END = SMALL_BRAND["end_date"]
# identity_changes logs the merges and splits *between runs*, clv_calibration one row per night's
# as-of date: one run over the whole folder has none / one, a run per night logs what each brought
# (the latest night's calibration row is compared on its own). Every other mart must be equal, customers
# named by their smallest identifier: which id a merged customer keeps depends on the runs it went
# through (the oldest id stays), not on the data.
RUN_HISTORY = {"identity_changes", "clv_calibration"}
PAGED = {"wecom/external_contact", "oa/user", "youzan/trade", "youzan/refund", "douyin/order",
         "douyin/after_sale"}  # (the simulated leads are CSV)


def _run(settings) -> bool:
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as instance:
        return run_pipeline(settings, instance=instance)


@pytest.fixture(scope="module")
def original(small_brand):
    """The shared small brand (conftest.py), as simulated and run once."""
    assert small_brand["ok"], "the original delivery did not run to the end"
    return small_brand


def test_equivalent_bytes_give_identical_marts(original, tmp_path_factory, brand_env):
    root = tmp_path_factory.mktemp("bytes")
    landing = root / "landing"
    shutil.copytree(original["landing"], landing)
    equivalent_bytes(landing)
    paged = {f"{p.parts[-4]}/{p.parts[-3]}" for p in landing.glob("*/*/*/pages_*.jsonl")}
    assert paged == PAGED, paged  # API responses stored whole
    pairs = saved_twice(landing, END.isoformat())  # and the last day's export downloaded twice
    settings = brand_env(landing, root, SALT)
    assert _run(settings), "an equivalent delivery stopped the night"
    digest = marts_digest(settings.warehouse)
    assert not differences(digest, original["digest"]), differences(digest, original["digest"])
    # every copy whose rows were dropped as duplicates is named in a warning, with the file it copies
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        duplicates = dict(con.execute("select file, duplicates from raw._load_log").fetchall())
        warned = con.execute(
            "select details from quality.validation_results where check_name = 'duplicate_file' "
            "and not success and not blocking"
        ).fetchall()
    copied = {(c, o) for o, c in pairs if duplicates.get(o, 0) + duplicates.get(c, 0) > 0}
    named = {(f["file"], tuple(f["copies"])) for (d,) in warned for f in json.loads(d)["files"]}
    # Known gap: with parts and retries stacked on the copies, a copy may be named as repeating another
    # copy's rows, and not every copy is named (32 of 57 here); the exact naming is pinned on hand-made
    # days in tests/quality/test_repeats.py. Here: each warned copy names other files of its own folder.
    named_with = {file: set(copies) for file, copies in named}
    warned = [c for c, _ in copied if c in named_with]
    folder = lambda f: f.rsplit("/", 1)[0]  # noqa: E731
    assert len(warned) >= 10
    for c in warned:
        assert named_with[c] and all(folder(f) == folder(c) and f != c for f in named_with[c]), c
    assert len(digest) >= 20 and digest["user_assets"][0] > 0 and digest["daily_kpis"][0] > 0


def _copy_days(src, dst, first: date | None = None, last: date | None = None) -> None:
    """The day folders of [first, last] (and the simulator's truth), as a collector delivers them;
    folders older than the data (a snapshot dated before the window) come with the first nights."""
    for day_dir in sorted(src.glob("*/*/*")):
        if not day_dir.is_dir() or day_dir.parts[-3] == "_truth":
            continue
        day = date.fromisoformat(day_dir.name)
        if (first is None or day >= first) and (last is None or day <= last):
            target = dst / day_dir.relative_to(src)
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(day_dir, target)
