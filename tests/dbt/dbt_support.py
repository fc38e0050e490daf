"""Shared by the dbt tests: raw tables filled with hand-written rows, and a dbt build over them."""

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from ingestion.contracts import CONTRACTS
from ingestion.contracts.ddl import create_table_sql, raw_columns
from ingestion.write.rawdb import LOAD_LOG, LOAD_LOG_COLUMNS, QUARANTINE, QUARANTINE_COLUMNS, ensure_table

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def write_raw(path: Path, raw: dict) -> None:
    """Every raw table, holding `raw[(source, entity)]` rows: (business date, file name, fields), and
    the loader's load log and quarantine, empty (the loads staging models read them as the loader
    leaves them)."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    ensure_table(con, LOAD_LOG, LOAD_LOG_COLUMNS)
    ensure_table(con, QUARANTINE, QUARANTINE_COLUMNS)
    for contract in CONTRACTS.values():
        con.execute(create_table_sql(contract))
        columns = [name for name, _ in raw_columns(contract)]
        json_columns = {f.name for f in contract.fields if f.type == "json"}
        insert = f'insert into raw."{contract.table}" values ({", ".join("?" * len(columns))})'
        for n, (day, name, fields) in enumerate(raw.get((contract.source, contract.entity), []), start=1):
            row = {k: json.dumps(v) if k in json_columns else v for k, v in fields.items()}
            row |= {"_business_date": day, "_file": f"{contract.source}/{contract.entity}/{day}/{name}",
                    "_row_number": n, "_record_hash": str(n), "_encoding": "utf-8",
                    "_loaded_at": datetime.now(UTC)}
            con.execute(insert, [row.get(c) for c in columns])
    con.close()


def run_dbt(tmp: Path, warehouse: Path, args: list[str]):
    """dbt `args` against `warehouse`, with the project, profiles and this test's own target and log
    paths; returns dbt's result for the caller to judge."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_WAREHOUSE", str(warehouse))
        mp.setenv("DO_NOT_TRACK", "1")
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        return dbtRunner().invoke([
            *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"),
        ])


def failures(result) -> list[str]:
    return [f"{r.node.name}: {r.message}" for r in result.result or [] if r.status not in ("pass", "success")]


def dbt_build(tmp: Path, warehouse: Path, selection: list[str]) -> None:
    """`dbt build` of `selection` (dbt selector words) into `warehouse`; fails the test on any error."""
    result = run_dbt(tmp, warehouse, ["build", "--indirect-selection", "buildable", *selection])
    assert result.success, result.exception or failures(result)
