"""Raw table DDL derived from a contract: the one place field types become warehouse types."""

from __future__ import annotations

from .model import LINEAGE_COLUMNS, Contract

SQL_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "epoch_s": "TIMESTAMPTZ",
    "epoch_ms": "TIMESTAMPTZ",
    "local_ts": "TIMESTAMPTZ",
    "yuan": "DECIMAL(18,2)",
    "fen": "DECIMAL(18,2)",
    "json": "JSON",
}


def raw_columns(contract: Contract) -> list[tuple[str, str]]:
    """(column, SQL type) of the raw table: business columns, then lineage columns."""
    cols: list[tuple[str, str]] = []
    for f in contract.fields:
        if not f.stored:
            continue
        if f.type == "phone":
            cols += [
                (f"{f.name}_hash", "VARCHAR"),
                (f"{f.name}_kind", "VARCHAR"),
            ]
        elif f.type == "phone_list":
            cols += [(f"{f.name}_hashes", "VARCHAR[]"), (f"{f.name}_kinds", "VARCHAR[]")]
        else:
            cols.append((f.name, SQL_TYPES[f.type]))
    return cols + list(LINEAGE_COLUMNS)


def create_table_sql(contract: Contract, schema: str = "raw") -> str:
    body = ",\n  ".join(f'"{name}" {sql_type}' for name, sql_type in raw_columns(contract))
    return f'create table if not exists {schema}."{contract.table}" (\n  {body}\n)'
