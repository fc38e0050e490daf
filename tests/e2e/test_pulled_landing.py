"""The small brand with WeCom, the Official Account and Youzan pulled through the fake platform
(tests/pulls/) and every other source delivered as files gives the marts of the all-files delivery,
digest for digest."""

import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from marts_digest import differences, marts_digest
from small_brand import SMALL_BRAND_SALT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pulls"))  # the fake platform

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("no_night_workers")]


def _days(landing, source, entity):
    folder = landing / source / entity
    return sorted(date.fromisoformat(p.name) for p in folder.iterdir()) if folder.is_dir() else []


def pulled_landing(files: Path, landing: Path) -> int:
    """A copy of `files` whose pulled entities are replaced by what a pull of each day lands."""
    from brand_replay import PULLED, garbled_rows, serve
    from fake_platform import FakePlatform

    from pulls import sources
    from pulls.run import pull

    shutil.copytree(files, landing)
    days = sorted({d for s, ents in PULLED.items() for e in ents for d in _days(files, s, e)})
    planned = {(s, e): _days(files, s, e) for s, ents in PULLED.items() for e in ents}
    for source, entity in planned:
        shutil.rmtree(landing / source / entity)
    skip, landed = garbled_rows(files), 0
    with FakePlatform() as fake:
        for day in days:
            serve(fake, files, day, skip)
            for name, src in sources().items():
                wanted = [e.name for e in src.entities if day in planned[(name, e.name)]]
                results = pull(name, [day], landing, env=fake.env(), today=day + timedelta(days=1),
                               entities=wanted)
                assert not [r.line() for r in results if r.error or r.skipped]
                landed += sum(r.rows for r in results)
    return landed


def test_a_pulled_and_exported_landing_gives_the_marts_of_the_exports(small_brand, tmp_path_factory,
                                                                      brand_env):
    from dagster import DagsterInstance

    from orchestration.pipeline import run_pipeline

    assert small_brand["ok"]
    root = tmp_path_factory.mktemp("pulled_brand")
    assert pulled_landing(small_brand["landing"], root / "landing") > 1000
    settings = brand_env(root / "landing", root, SMALL_BRAND_SALT)
    with DagsterInstance.ephemeral() as instance:
        assert run_pipeline(settings, instance=instance), "the pulled landing stopped the night"
    digest = marts_digest(settings.warehouse)
    assert not differences(digest, small_brand["digest"]), differences(digest, small_brand["digest"])
