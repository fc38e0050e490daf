"""Task lists for guides, written nightly as files beside the warehouse: a Python step after the dbt
models it reads; never an input of publishing."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.defs.resources import Warehouse
from orchestration.export_guides import export_nightly

INPUTS = [
    AssetKey(["intermediate", "int_guides__tasks"]),
    AssetKey(["intermediate", "int_calendar__bounds"]),
    AssetKey(["staging", "stg_org__employees"]),
]


@asset(key=["exports", "guide_tasks"], deps=INPUTS, group_name="guides", pool="duckdb", kinds={"python"})
def guide_task_lists(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Each guide's task list for the latest loaded day (whom to contact and why: care moments due,
    super users at risk, trial buyers not converted, new friends who never bought), one .xlsx and one
    UTF-8 .csv per guide, into <warehouse folder>/exports/guides/<day>/; the last 7 nights are kept."""
    root = Path(warehouse.path).parent / "exports" / "guides"
    try:
        with warehouse.connect() as con:
            day, written = export_nightly(con, root)
    except Exception as exc:  # noqa: BLE001 — tomorrow's lists must not hold back tonight's marts
        # Publishing does not read these files; a night whose lists cannot be written (a full disk,
        # a folder made read-only) still publishes, and says why here.
        context.log.error(f"guide task lists not written: {exc!r}")
        return MaterializeResult(metadata={"status": f"failed: {exc!r}"[:500], "guides": 0})
    context.log.info(f"task lists of {len(written)} guides for {day} in {root / day.isoformat()}")
    return MaterializeResult(metadata={
        "status": "ok", "day": day.isoformat(), "path": str(root / day.isoformat()),
        "guides": len(written), "tasks": sum(tasks for _, tasks, _, _ in written),
    })
