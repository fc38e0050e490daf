"""The dbt project as Dagster assets: every model an asset, every dbt test an asset check."""

import json
import sys
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, AssetMaterialization, Output
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from ingestion.landing.changes import rebuild_requests
from orchestration.defs.clv import clv_holdout
from orchestration.defs.identity import clv_selected
from orchestration.defs.ingestion import CONTRACT_BY_KEY
from orchestration.defs.resources import Warehouse
from orchestration.model_code import changed_models, code_fingerprints
from orchestration.preload import imports_ahead_of
from orchestration.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR, engine
from orchestration.worker import NIGHT_WORKERS
from quality.suites import rules
from quality.validate import GX_MODULES
from value import handoff as clv_handoff
from value.clv import FIT_MODULES, warm_compiler

DBT_PROJECT = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR
)
# `siyu run`, `siyu ui` and `siyu serve` parse before the definitions load (orchestration/dbtparse.py);
# under a bare `dagster dev` the manifest is rebuilt on load.
DBT_PROJECT.prepare_if_dev()



# The loader's own tables (raw._load_log, raw._quarantine), written by the landing step
LOADER_SOURCES = ("source.siyu.loads.load_log", "source.siyu.loads.quarantine")


class Translator(DagsterDbtTranslator):
    """dagster-dbt 0.29 takes a check's description from the test's `meta.description` only; ours
    are written as dbt's own `description:` (what dbt docs show), so carry that into Dagster too.

    The loader's own tables raw._load_log and raw._quarantine (dbt sources `loads.*`) are written by
    the landing step, whichever entities it loads, but are no landing assets: read as sources, the
    models over it would wait for nothing (on Spark, where staging is a table, they could copy
    the log before tonight's loads) and Dagster gave them a dbt step of their own (~1 s a night).
    They depend on every landing asset instead, so they run with the rest of staging, after the
    landing step and its blocking raw checks."""

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or {}
        if set(LOADER_SOURCES) & set((node.get("depends_on") or {}).get("nodes", ())):
            known = {d.asset_key for d in spec.deps}
            return spec.merge_attributes(deps=[k for k in CONTRACT_BY_KEY if k not in known])
        return spec

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        text = manifest["nodes"].get(unique_id, {}).get("description")
        if spec is not None and text and not spec.description:
            return spec._replace(description=text)  # a record: _replace is its public copy-with
        return spec


TRANSLATOR = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

# A run tagged so builds every incremental model from scratch (`dbt build --full-refresh`): `siyu run
# --full-refresh`, and the night after `siyu forget` or `siyu retain` (raw._rebuild_requests), whose
# deletions an incremental model would not see. Runs without it (the schedule, the sensor, a plain
# `siyu run`) let incremental models process what changed. The UI launches one with this tag added.
FULL_REFRESH_TAG = "siyu/full_refresh"


def dbt_args(full_refresh: bool = False) -> list[str]:
    """The arguments of every dbt step of a run."""
    # Unit tests check SQL logic against literal inputs; they run in `make test`, not every night.
    # `buildable`: Dagster splits the build around the identity step, and a test must wait until
    # every model it reads exists (a seed's relationship test reads a mart built later).
    # No debug log file: dbt formats every event (~5,000 a step, every SQL statement) as JSON for it
    # — ~0.9 s of CPU in a 245-node step, measured; the run log keeps dbt's info lines, errors
    # included, and target/<step>/ the SQL each node ran.
    args = ["build", "--exclude-resource-type", "unit_test", "--indirect-selection", "buildable",
            "--log-level-file", "none"]
    return [*args, "--full-refresh"] if full_refresh else args


def full_refresh_asked(tags: dict[str, str]) -> bool:
    return tags.get(FULL_REFRESH_TAG, "").lower() == "true"


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=TRANSLATOR, pool="duckdb"
)
def siyu_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    """dbt build: staging views, intermediate tables and marts, with their tests. A failing `error`
    test stops the models downstream of it, so yesterday's marts stay as they were."""
    full_refresh = full_refresh_asked(context.run.tags)
    if not full_refresh and (reasons := rebuilds_asked(warehouse)):
        # a deletion outside a night (forget, retention) that incremental models would not see,
        # whoever starts the night (the schedule, the sensor, the UI or `siyu run`)
        context.log.info(f"a rebuild was asked ({reasons[0]}): every model is rebuilt from scratch")
        full_refresh = True
    if not full_refresh and (changed := incremental_code_changed(warehouse)):
        context.log.info(f"the code of {len(changed)} incremental models changed since the warehouse "
                         f"last published ({', '.join(changed[:3])}…): they are rebuilt from scratch")
        full_refresh = True
    workers = NIGHT_WORKERS.get()  # `siyu run`: the raw checks and the CLV fit in worker processes
    here = ()  # what this process imports while dbt runs (orchestration/preload.py)
    if modules := imports_ahead(context.run.asset_selection, context.run.asset_check_selection,
                                gx_here=workers is None):
        if modules == FIT_MODULES and workers is not None and engine() == "duckdb":
            workers.start(clv_handoff.NAME, (*FIT_MODULES, "value.handoff", "value.clv:warm_compiler"))
        else:
            here = modules
    fit_worker = workers.take(clv_handoff.NAME) if workers is not None else None
    invocation = dbt.cli(dbt_args(full_refresh), context=context)
    # begun once dbt's process is started (what starting it imports is imported by then); the step
    # ends when the imports have, so no other step imports beside them
    with imports_ahead_of(here, warm_compiler if here == FIT_MODULES else None):
        try:
            for event in invocation.stream():
                yield event
                if fit_worker is not None and _built(event, CLV_PURCHASES):
                    # the post-hook wrote the file: the fit starts while dbt goes on (value/handoff.py)
                    handoff = str(clv_handoff.handoff_path(warehouse.path))
                    fit_worker.send(clv_handoff.FIT, handoff, clv_holdout())
                    fit_worker = None
        finally:
            keep_results(invocation, results_dir(Path(warehouse.path)), context.run_id)


CLV_PURCHASES = AssetKey(["intermediate", clv_handoff.MODEL])


def _built(event, key: AssetKey) -> bool:
    """Whether a dbt event says the model of asset `key` was built (its Output, or a materialization
    when the step does not own it)."""
    if isinstance(event, Output):
        return event.output_name == key.to_python_identifier()
    return isinstance(event, AssetMaterialization) and event.asset_key == key


def imports_ahead(
    asset_selection, check_selection, loaded=sys.modules, gx_here: bool = True
) -> tuple[str, ...]:
    """What a later step of the run imports, to import while this step waits on dbt's process (the
    landing and identity steps are busy in Python: an import beside them slows them as much as it
    saves). GX (~2.5 s) first, for the raw checks, when they validate with it and it is not imported
    yet: the short dbt step of seeds comes before them. Then the CLV fit's modules (~6 s), in the
    step before the identity step, two steps before the fit (None selections: every asset, and
    every check of the selected assets; `loaded`: the modules imported so far; not `gx_here`: the
    raw checks run in a worker process, orchestration/worker.py). After the fit's modules, their
    compiler's cache is read too (value.clv.warm_compiler). The step waits for these imports before it
    ends (orchestration/preload.py: a step importing beside them can get a half-initialized module)."""
    if gx_here and GX_MODULES[-1] not in loaded and gx_checks_selected(asset_selection, check_selection):
        return GX_MODULES
    if clv_selected(asset_selection) and FIT_MODULES[-1] not in loaded:
        return FIT_MODULES
    return ()


def gx_checks_selected(asset_selection, check_selection) -> bool:
    """Whether the run validates a landing asset with GX: the `contract` check of a contract that has
    a suite (quality.suites)."""
    with_suite = {key for key, contract in CONTRACT_BY_KEY.items() if rules(contract)}
    if check_selection is not None:
        return any(check.name == "contract" and check.asset_key in with_suite for check in check_selection)
    return asset_selection is None or any(key in with_suite for key in asset_selection)


def rebuilds_asked(warehouse: Warehouse) -> list[str]:
    """raw._rebuild_requests not yet served (the publish step clears them)."""
    if not Path(warehouse.path).is_file():
        return []
    with warehouse.connect() as con:
        return rebuild_requests(con)


def incremental_code_changed(warehouse: Warehouse) -> list[str]:
    """The incremental models whose SQL or macros differ from those the warehouse last published
    with (orchestration/model_code.py): their kept rows would mix two versions of the code."""
    from dagster_dbt.dbt_manifest import read_manifest_path

    prints = code_fingerprints(read_manifest_path(DBT_PROJECT.manifest_path))
    if not Path(warehouse.path).is_file():
        return []  # a new warehouse: everything is built from scratch anyway
    with warehouse.connect() as con:
        return changed_models(con, prints)


def results_dir(warehouse: Path) -> Path:
    """Where each dbt step's results are kept beside the warehouse (read by `siyu doctor`)."""
    return warehouse.parent / "logs" / "dbt"


def keep_results(invocation, folder: Path, run_id: str) -> None:
    """The step's run_results.json (dagster-dbt's public get_artifact), as
    `<warehouse folder>/logs/dbt/<run id>-<n>.json`: statuses and messages of every model and test,
    no rows. Pruned with the run logs (orchestration/artefacts.py)."""
    try:
        results = invocation.get_artifact("run_results.json")
    except FileNotFoundError:  # dbt stopped before writing any
        return
    folder.mkdir(parents=True, exist_ok=True)
    n = len(list(folder.glob(f"{run_id}-*.json")))
    (folder / f"{run_id}-{n + 1}.json").write_text(json.dumps(results), encoding="utf-8")
