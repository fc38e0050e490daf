"""Incremental vs full identity resolution on one nightly change of a large simulated link world.

    .venv/bin/python bench/identity_incremental.py 1000000 2000   # people, new people per night

The world is tests/identity/link_worlds.py's generator (merges, splits, family phones, over-cap
guide phones, vetoes). Night 0 is resolved in full; for two nights the same warehouse is copied,
one copy resolved incrementally and the other in full, and their identity tables compared.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "identity"))
from link_worlds import World, tables  # noqa: E402

from identity.warehouse import resolve_identities  # noqa: E402

SECRET = b"bench-identity-secret"  # customer ids are keyed; any fixed secret keeps runs comparable


def main(people: int, nightly: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="siyu-identity-"))
    started = time.perf_counter()
    world = World(5)
    world.advance(people)
    print(f"world of {people:,} people built in {time.perf_counter() - started:.1f} s", flush=True)
    a = duckdb.connect(str(root / "a.duckdb"))
    world.load(a)
    started = time.perf_counter()
    resolve_identities(a, 5, secret=SECRET)
    print(f"night 0, full: {time.perf_counter() - started:.1f} s", flush=True)
    for night in (1, 2):
        world.advance(nightly)
        world.load(a)
        a.close()
        shutil.copy(root / "a.duckdb", root / "b.duckdb")
        a, b = duckdb.connect(str(root / "a.duckdb")), duckdb.connect(str(root / "b.duckdb"))
        started = time.perf_counter()
        meta = resolve_identities(a, 5, secret=SECRET)
        incremental = time.perf_counter() - started
        started = time.perf_counter()
        resolve_identities(b, 5, incremental=False, secret=SECRET)
        full = time.perf_counter() - started
        print(f"night {night}: incremental {incremental:.1f} s ({meta.get('path')}, "
              f"{meta.get('identifiers_touched', 0):,} identifiers touched), full {full:.1f} s, "
              f"identical tables: {tables(a) == tables(b)}", flush=True)
        b.close()
    a.close()
    shutil.rmtree(root)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
