"""`siyu run`: load the landing day folders that are new or changed, then rebuild and publish, in
one in-process Dagster run.

In process because Dagster's multiprocess executor costs ~2 s per step here and DuckDB allows one
writer anyway; one run because the ingestion assets take the whole date range at once.

Which folders load (ingestion/landing/changes.py): those whose fingerprint differs from the one kept for
them in the warehouse by the last night that finished; every folder with `full_refresh`; every
folder of [first, last] when a window is given. The models are still full rebuilds over all of raw
(the days not loaded tonight keep their rows), so the marts equal one run over the whole folder.
Nothing to load and the published copy in place: no step runs at all (a few seconds, the warehouse
untouched: its load log gains no rows, the published copy keeps its bytes).

dbt runs with --full-refresh when `full_refresh` is asked or a rebuild was requested (orchestration/
defs/dbt.py FULL_REFRESH_TAG); the seeds and the models read from seeds alone are left out when
nothing they come from changed (orchestration/seeds.py). Each dbt step is a fork of one process that
imported dbt and parsed the project as the night started (orchestration/warm.py), not a new `dbt`.
"""

from __future__ import annotations

import json
import time
import uuid
from contextlib import nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingestion.contracts import CONTRACTS
from ingestion.landing.changes import (
    Plan,
    clear_rebuild_requests,
    fingerprints,
    plan,
    rebuild_requests,
    recorded,
    retained_before,
)
from ingestion.load.night import LandingRequest
from orchestration import seeds
from orchestration.ahead import begun_ahead
from orchestration.dbtparse import parse_dbt_project
from orchestration.settings import DBT_TARGET_DIR, ConfigError, Settings, engine
from orchestration.worker import night_workers
from quality import worker as raw_checks_worker


@dataclass
class Night:
    """What a run did; truthy when every step succeeded (or there was nothing to do)."""

    ok: bool
    plan: Plan = field(default_factory=Plan)
    ran: bool = True  # False: nothing new or changed, no step ran
    parsed: bool = False  # dbt parsed the project (it changed since the last parse)
    seconds: float = 0.0

    def __bool__(self) -> bool:
        return self.ok


def landing_prints(settings: Settings) -> dict[str, str]:
    if not settings.landing_dir.is_dir():
        raise ConfigError(f"landing folder {settings.landing_dir} does not exist (SIYU_LANDING_DIR)")
    prints = fingerprints(settings.landing_dir)
    if not prints:
        raise ConfigError(
            f"no landing data under {settings.landing_dir}: expected <source>/<entity>/<YYYY-MM-DD>/<file> "
            "as in docs/sources.md"
        )
    return prints


def built_state(settings: Settings) -> tuple[dict[str, str], date | None, list[str]]:
    """The fingerprints built, the retention boundary and the rebuilds asked for."""
    if not settings.warehouse.is_file():
        return {}, None, []
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return recorded(con), retained_before(con), rebuild_requests(con)


@dataclass(frozen=True)
class DbtNight:
    """How a night runs dbt: `full_refresh` rebuilds incremental models from scratch; `seeds` builds
    the seeds and the models read from them alone (orchestration/seeds.py) — else left as they are."""

    full_refresh: bool = False
    seeds: bool = True


# Set by run_pipeline around _execute (whose four arguments tests stub), read by _execute.
DBT_NIGHT: ContextVar[DbtNight | None] = ContextVar("dbt_night", default=None)


def run_pipeline(settings: Settings, first: date | None = None, last: date | None = None, instance=None,
                 full_refresh: bool = False) -> Night:
    """Load what changed (or the window, or everything), rebuild and publish."""
    started = time.monotonic()
    prints = landing_prints(settings)
    built, retained, rebuilds = built_state(settings)
    tonight = plan(prints, built, first, last, full_refresh, retained)
    if (first or last) and not tonight.load:
        raise ConfigError(f"no landing day folder from {first or 'the first day'} to {last or 'the last'}")
    if not tonight.load and settings.published.is_file() and not rebuilds:
        return Night(ok=True, plan=tonight, ran=False, seconds=time.monotonic() - started)
    # Nothing to load but no published copy (deleted, or the last build never got there) or a
    # rebuild asked for (retention, erasure): build from raw as it is, over the latest landing day.
    days = tonight.loaded_days or [max(tonight.days(prints))]
    first, last = first or days[0], last or days[-1]
    # first: the raw checks' worker imports GX on the other core while this process prepares and loads
    with night_workers() as workers:
        if workers is not None:
            workers.start(raw_checks_worker.NAME, raw_checks_worker.MODULES)
        parsed = parse_dbt_project()
        # dbt rebuilds incremental models from scratch when asked, and after a deletion (forget,
        # retention) that an incremental model, processing only tonight's dates, would not see
        full = full_refresh or bool(rebuilds)
        dbt = DbtNight(full_refresh=full, seeds=full or not _seeds_unchanged(settings))
        run_id, folders = str(uuid.uuid4()), sorted(tonight.load)  # Dagster's run ids are uuid4s
        token = DBT_NIGHT.set(dbt)
        try:
            with _ahead(workers, settings, first, last, folders, run_id, dbt.seeds):
                ok = _execute(first, last, folders, instance, run_id)
        finally:
            DBT_NIGHT.reset(token)
            _remove_handoff(settings)
    if ok:  # the publish step recorded tonight's folders as built (every run does, whoever starts it)
        with duckdb.connect(str(settings.warehouse)) as con:
            clear_rebuild_requests(con)
            if dbt.seeds:
                seeds.record_built(con, _manifest())
    return Night(ok=ok, plan=tonight, parsed=parsed, seconds=time.monotonic() - started)


def _remove_handoff(settings: Settings) -> None:
    """The CLV fit's input file (value/handoff.py), should a night stop between dbt writing it and the
    CLV step removing it."""
    from value.handoff import handoff_path

    handoff_path(settings.warehouse).unlink(missing_ok=True)


def _manifest() -> dict:
    """dbt's manifest as parse_dbt_project left it (read here without dagster-dbt, whose import
    would come before the night's work begun ahead)."""
    return json.loads((DBT_TARGET_DIR / "manifest.json").read_bytes())


def _ahead(workers, settings: Settings, first: date, last: date, folders: list[str], run_id: str,
           seeds: bool):
    """From here this process leaves the warehouse to the landing and raw checks begun ahead
    (orchestration/ahead.py). Not without workers, nor with nothing to load, nor on a night that
    builds the seeds: their dbt step, which Dagster may run before the landing or between it and the
    raw checks, opens the warehouse too."""
    if workers is None or not folders or seeds:
        return nullcontext()
    return begun_ahead(workers, *_ahead_requests(settings, first, last, folders, run_id))


def _ahead_requests(settings: Settings, first: date, last: date, folders: list[str],
                    run_id: str) -> tuple[LandingRequest, raw_checks_worker.Request]:
    """What the night's landing and raw-checks steps will ask for: every raw table over the window
    (the nightly job selects them all), as the steps build their requests from the run."""
    from quality.raw_checks import asset_checks_for
    from quality.validate import docs_dir

    contracts = sorted(CONTRACTS.values(), key=lambda c: (c.source, c.entity))
    salt, warehouse = settings.phone_salt, str(settings.warehouse)
    tables = tuple((c.source, c.entity) for c in contracts)
    landing = LandingRequest(warehouse, salt, str(settings.landing_dir), tables, first, last,
                             tuple(folders), run_id)
    checked = tuple((c.source, c.entity) for c in contracts if asset_checks_for(c))
    checks = raw_checks_worker.Request(warehouse, salt, checked, first, last, run_id, str(docs_dir()))
    return landing, checks


def _seeds_unchanged(settings: Settings) -> bool:
    if not settings.warehouse.is_file():
        return False
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        recorded = seeds.built_state(con)
        return recorded is not None and recorded == seeds.state(con, _manifest())


def _execute(first: date, last: date, folders: list[str], instance, run_id: str | None = None) -> bool:
    from dagster import DagsterInstance
    from dagster_dbt import get_asset_key_for_model

    from orchestration.defs.build import build_definitions
    from orchestration.defs.dbt import FULL_REFRESH_TAG, siyu_dbt_models
    from orchestration.defs.partitions import RANGE_END_TAG, RANGE_START_TAG, window_partitions
    from orchestration.run_history import pooled_event_log, unflushed_run_history
    from orchestration.settings import DBT_PROJECT_DIR
    from orchestration.warm import warm_dbt

    dbt = DBT_NIGHT.get() or DbtNight()
    # first: dbt imports and parses in its warm process while this one prepares and loads. Not on
    # Spark: each step there starts its own Spark session in its own process (engines/spark_dbt.py)
    warm = warm_dbt(DBT_PROJECT_DIR, DBT_TARGET_DIR) if engine() == "duckdb" else nullcontext(None)
    with warm as dbt_executable:
        defs = build_definitions(window_partitions(first, last), dbt_executable=dbt_executable)
        job = defs.resolve_job_def("nightly")
        selection = set(job.asset_layer.executable_asset_keys)
        if not dbt.seeds:
            manifest = _manifest()
            selection -= {get_asset_key_for_model([siyu_dbt_models], manifest["nodes"][uid]["name"])
                          for uid in seeds.seed_only_nodes(manifest)}
        instance = instance or DagsterInstance.get()
        tags = {RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()}
        if dbt.full_refresh:
            tags[FULL_REFRESH_TAG] = "true"
        with unflushed_run_history(Path(instance.root_directory)), pooled_event_log(instance):
            result = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                tags=tags,
                asset_selection=sorted(selection, key=lambda k: k.path),
                run_config={"loggers": {"siyu_console": {}},
                            "ops": {"landing": {"config": {"folders": folders}}}},
                raise_on_error=False,
            )
    return result.success
