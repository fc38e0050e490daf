"""The simulator's brand pulled through the fake platform lands what its exports hold.

Record-identical, not byte-identical: an export and a pull serialise differently (key order, BOM,
CRLF, a group per pretty-printed file, split part files) and sources.md makes those the same records.
For every pulled entity and day, the records of the pulled folder equal the well-formed records of the
simulator's folder, compared as values; the garbled copies the simulator adds to stand for delivery
defects are not something an API returns (brand_replay.py)."""

from datetime import date, timedelta

import pytest
from brand_replay import PULLED, canonical, day_records, expected, garbled_rows, serve

from pulls import sources
from pulls.run import pull


def _days(landing, source, entity):
    folder = landing / source / entity
    return sorted(date.fromisoformat(p.name) for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture(scope="module")
def pulled(simulated_brand, tmp_path_factory):
    """Every simulated day served and pulled: snapshot entities on the simulator's snapshot days (the
    platform's state then), events on every day; oa/event as the receiver would have landed it."""
    import shutil

    from fake_platform import FakePlatform

    landing = tmp_path_factory.mktemp("pulled") / "landing"
    shutil.copytree(simulated_brand / "oa" / "event", landing / "oa" / "event")
    skip = garbled_rows(simulated_brand)
    days = sorted({d for s, ents in PULLED.items() for e in ents for d in _days(simulated_brand, s, e)})
    results = []
    with FakePlatform() as fake:
        for day in days:
            serve(fake, simulated_brand, day, skip)
            for name, src in sources().items():
                wanted = [e.name for e in src.entities
                          if e.kind == "events" or day in _days(simulated_brand, name, e.name)]
                results += pull(name, [day], landing, env=fake.env(), today=day + timedelta(days=1),
                                entities=wanted)
        pages = len(fake.log)
    return {"landing": landing, "results": results, "skip": skip, "days": days, "requests": pages}


def test_every_pull_succeeded(pulled):
    assert [r.line() for r in pulled["results"] if r.error or r.skipped] == []
    assert sum(r.rows for r in pulled["results"]) > 1000  # the small brand: ~2,400 records
    assert pulled["requests"] > 500


@pytest.mark.parametrize("source, entity", [(s, e) for s, es in PULLED.items() for e in es])
def test_pulled_records_equal_the_exports(pulled, simulated_brand, source, entity):
    days = _days(simulated_brand, source, entity)
    assert days, "the simulator delivers every pulled entity"
    for day in days:
        want = expected(simulated_brand, source, entity, day, pulled["skip"])
        got = canonical(day_records(pulled["landing"], source, entity, day))
        assert got == want, f"{source}/{entity} {day}: {len(want - got)} missing, {len(got - want)} extra"
    pulled_days = _days(pulled["landing"], source, entity)
    assert pulled_days == days, "a pull lands a folder exactly on the days the export has one"


def test_left_followers_stay_in_the_oa_snapshot(pulled, simulated_brand):
    """user/get lists followers only; the rows of those who left (subscribe 0) come from batchget of
    the openids the landing already knew — the export has them, so the pull must too."""
    last = _days(simulated_brand, "oa", "user")[-1]
    rows = day_records(pulled["landing"], "oa", "user", last)
    assert sum(1 for r in rows if r["subscribe"] == 0) >= 1
