"""Boundary checks on the raw tables: one multi-asset check over every landing asset.

Each landing asset [source, entity] carries the checks of quality.results.BLOCKING (`amounts` where
money is stored, `unlinkable_phone_share` where phones are). A blocking check stops the assets
downstream only when one of its rules fails with severity ERROR: `volume`, `duplicate_file` and
`quarantine_share` hold both blocking rules and warnings; what each checks and why the warnings
only warn is in quality/results.py. One step checks every selected table (a Dagster step costs
~2.5 s in process; 26 of them would cost a minute a run).
"""

from datetime import timedelta

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    Failure,
    multi_asset_check,
)

from ingestion.contracts import CONTRACTS
from orchestration.ahead import checked_ahead
from orchestration.defs.ingestion import CONTRACT_BY_KEY
from orchestration.defs.resources import Warehouse
from orchestration.worker import NIGHT_WORKERS
from quality import worker as raw_checks_worker
from quality.raw_checks import asset_checks_for, check_raw
from quality.results import BLOCKING, DESCRIPTIONS
from quality.validate import docs_dir

SPECS = [
    AssetCheckSpec(name, asset=AssetKey([c.source, c.entity]), blocking=BLOCKING[name],
                   description=DESCRIPTIONS[name])
    for c in CONTRACTS.values()
    for name in asset_checks_for(c)
]


@multi_asset_check(specs=SPECS, can_subset=True, pool="duckdb", name="raw_quality")
def raw_quality(context: AssetCheckExecutionContext, warehouse: Warehouse):
    """Validate the run's raw partitions against their contracts (GX) and the hand-written checks;
    results in quality.validation_results, Data Docs in $SIYU_QUALITY_DOCS (beside the warehouse)."""
    op = context.op_execution_context
    window = op.partition_time_window if op.has_partition_key_range else None
    first, last = (window.start.date(), (window.end - timedelta(days=1)).date()) if window else (None, None)
    selected = context.selected_asset_check_keys
    keys = sorted({k.asset_key for k in selected}, key=lambda k: k.path)
    contracts = [CONTRACT_BY_KEY[k] for k in keys]
    tables = tuple((c.source, c.entity) for c in contracts)
    request = raw_checks_worker.Request(
        warehouse.path, warehouse.salt, tables, first, last, op.run_id, str(docs_dir())
    )
    try:
        answer = checked_ahead(request)  # `siyu run` began them as the night started
        workers = NIGHT_WORKERS.get()
        worker = workers.take(raw_checks_worker.NAME) if workers and answer is None else None
        if worker is not None:  # `siyu run`: GX is imported there already
            answer = worker.call(raw_checks_worker.CHECK, request)
    except RuntimeError as exc:  # the worker's traceback
        raise Failure(description=str(exc)) from None
    if answer is not None:
        summaries, logged = answer
        for line in logged:
            context.log.warning(line)
    else:
        with warehouse.connect() as con:
            summaries = check_raw(con, contracts, first, last, op.run_id, docs_dir(), context.log.warning)
    for s in summaries:
        key = AssetCheckKey(AssetKey([s.source, s.entity]), s.check)
        if key in selected:
            severity = AssetCheckSeverity.ERROR if s.blocking_failed else AssetCheckSeverity.WARN
            yield AssetCheckResult(
                asset_key=key.asset_key,
                check_name=s.check,
                passed=s.passed,
                severity=severity,
                metadata=s.metadata(),
            )


RAW_CHECKS = [raw_quality]
