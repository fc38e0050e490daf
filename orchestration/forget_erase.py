"""`siyu forget`, inside the warehouse: who the person is, their suppression entries, and every raw,
quarantined, identity and quality row naming them — in one transaction, before the rebuild.

Raw rows go by the identifier columns (ingestion/erasure/id_columns.py) with the SQL the loader's
suppression uses (ingestion/erasure/id_sql.py); the load log counts them as suppressed, so each file still
balances (offered = loaded + duplicates + quarantined + suppressed) for days whose landing files are
gone and are not reloaded. Quality results are history: the person's values are redacted there
(`[erased]`), the rows stay. Identity forgets the person's map rows, customer, rejections, links
and merge/split history, and its run state, so the next identity run resolves in full: a phone the
person's links had pushed over the degree cap is judged again without them.
"""

from __future__ import annotations

import pyarrow as pa

from ingestion.contracts import CONTRACTS
from ingestion.contracts.ddl import raw_columns
from ingestion.erasure.id_columns import RECORD_TYPES, columns_of
from ingestion.erasure.id_sql import list_hit_sql, nested, params, pruned_sql, record_hit_sql
from ingestion.erasure.suppression import DDL, entry, quarantine_relation
from ingestion.write.rawdb import q
from ingestion.write.rawwriter import RECORD_HASH

ERASED = "[erased]"


def _exists(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select 1 from duckdb_tables() where database_name = current_database() and "
            "schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    )


def resolve_person(con, given: list[tuple[str, str]]) -> tuple[dict[str, set[str]], set[str]]:
    """Every identifier of the customers the given (id_type, stored value) resolve to, the given ones
    included, and those customers' ids; then the ids of the orders they name (refunds follow them)."""
    ids: dict[str, set[str]] = {}
    for id_type, value in given:
        ids.setdefault(id_type, set()).add(value)
    customers: set[str] = set()
    if _exists(con, "identity", "customer_map"):
        con.register(
            "_given", pa.table({"id_type": [t for t, _ in given], "id_value": [v for _, v in given]})
        )
        customers = {
            c
            for (c,) in con.execute(
                "select distinct customer_id from identity.customer_map "
                "semi join _given using (id_type, id_value)"
            ).fetchall()
        }
        con.unregister("_given")
        for id_type, value in con.execute(
            "select id_type, id_value from identity.customer_map where list_contains(?, customer_id)",
            [sorted(customers)],
        ).fetchall():
            ids.setdefault(id_type, set()).add(value)
    for (source, entity), record_type in zip(
        (("youzan", "trade"), ("douyin", "order")), RECORD_TYPES, strict=True
    ):
        cols = tuple(c for c in columns_of(source, entity) if c.id_type not in RECORD_TYPES)
        column = next(c.column for c in columns_of(source, entity) if c.id_type == record_type)
        if _exists(con, "raw", f"{source}__{entity}"):
            found = con.execute(
                f"select distinct {q(column)} from raw.{q(f'{source}__{entity}')} "
                f"where {record_hit_sql(cols)}",
                params(cols, _lists(ids)),
            ).fetchall()
            ids.setdefault(record_type, set()).update(v for (v,) in found if v is not None)
    return ids, customers


def _lists(ids: dict[str, set[str]]) -> dict[str, list[str]]:
    return {t: sorted(v) for t, v in ids.items()}


def erase(con, ids: dict[str, set[str]], customers: set[str], key: bytes, request_id: str) -> dict:
    """Record the entries and delete the person from raw, identity and quality; returns the counts."""
    matched = _lists(ids)
    con.execute("begin transaction")
    try:
        con.execute(DDL)
        before = con.execute("select count(*) from raw._suppressed").fetchall()[0][0]
        rows = [(entry(key, t, v), t) for t, vs in matched.items() for v in vs]
        con.executemany(
            "insert or ignore into raw._suppressed values (?, ?, ?, now())",
            [(e, t, request_id) for e, t in rows],
        )
        added = con.execute("select count(*) from raw._suppressed").fetchall()[0][0] - before
        report = {
            "entries": sorted(e for e, _ in rows),
            "entries_added": added,
            "raw_rows": {},
            "list_items_removed": {},
            "quarantine_rows": 0,
        }
        for contract in CONTRACTS.values():
            _erase_raw(con, contract, matched, report)
        report["identity_rows"] = _erase_identity(con, matched, customers)
        values = sorted({v for vs in matched.values() for v in vs} | customers)
        report["quality_cells_redacted"] = redact_schema(con, "quality", values)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return report


def _erase_raw(con, contract, matched: dict[str, list[str]], report: dict) -> None:
    cols = columns_of(contract.source, contract.entity)
    table = f"raw.{q(contract.table)}"
    if not cols or not _exists(con, "raw", contract.table):
        return
    p = params(cols, matched)
    gone = con.execute(
        f"select _business_date, _file, count(*) from {table} where {record_hit_sql(cols)} group by all", p
    ).fetchall()
    _to_suppressed(con, contract, "rows_loaded", gone)
    con.execute(f"delete from {table} where {record_hit_sql(cols)}", p)
    if gone:
        report["raw_rows"][contract.table] = sum(n for _, _, n in gone)
    names = [n for n, _ in raw_columns(contract) if not n.startswith("_")]
    for column, items in nested(cols).items():
        con.execute(
            f"create or replace temp table _pruned as select rowid as rid from {table} "
            f"where {list_hit_sql(column, items)}",
            p,
        )
        n = con.execute("select count(*) from _pruned").fetchall()[0][0]
        if n:
            con.execute(
                f"update {table} set {q(column)} = {pruned_sql(column, items)} "
                "where rowid in (select rid from _pruned)",
                p,
            )
            record_hash = RECORD_HASH.format(columns=", ".join(q(c) for c in names))
            con.execute(
                f"update {table} set _record_hash = {record_hash} where rowid in (select rid from _pruned)"
            )
            report["list_items_removed"][f"{contract.table}.{column}"] = n
    if _exists(con, "raw", "_quarantine"):
        relation = quarantine_relation(cols, "raw._quarantine", contract.source, contract.entity)
        hit = " or ".join([record_hit_sql(cols), *(list_hit_sql(c, i) for c, i in nested(cols).items())])
        values = sorted({v for vs in matched.values() for v in vs if len(v) >= 6})
        con.execute(
            f"create or replace temp table _qgone as select _siyu_i as rid from {relation} where {hit} "
            "union select rowid from raw._quarantine where source = $s and entity = $e and "
            "list_bool_or(list_transform($v::varchar[], lambda v: "
            "contains(coalesce(record::varchar, '') || coalesce(detail, ''), v)))",
            {**p, "s": contract.source, "e": contract.entity, "v": values},
        )
        counts = con.execute(
            "select business_date, file, count(*) from raw._quarantine "
            "where rowid in (select rid from _qgone) group by all"
        ).fetchall()
        _to_suppressed(con, contract, "quarantined", counts)
        con.execute("delete from raw._quarantine where rowid in (select rid from _qgone)")
        report["quarantine_rows"] += sum(n for _, _, n in counts)


def _to_suppressed(con, contract, column: str, counts: list[tuple]) -> None:
    """Move erased rows of each file from `column` to `suppressed` in the load log."""
    for day, file, n in counts:
        con.execute(
            f"update raw._load_log set {column} = {column} - ?, suppressed = coalesce(suppressed, 0) + ? "
            "where source = ? and entity = ? and business_date = ? and file = ?",
            [n, n, contract.source, contract.entity, day, file],
        )


def _erase_identity(con, matched: dict[str, list[str]], customers: set[str]) -> dict[str, int]:
    if not _exists(con, "identity", "customer_map"):
        return {}
    ids = pa.table(
        {
            "id_type": [t for t, vs in matched.items() for _ in vs],
            "id_value": [v for vs in matched.values() for v in vs],
        }
    )
    con.register("_forget_ids", ids)
    former = set(customers)
    if _exists(con, "identity", "changes"):  # ids merged into the person's customer were theirs too
        while True:
            older = {
                o
                for (o,) in con.execute(
                    "select old_customer_id from identity.changes where change_type = "
                    "'merge' and list_contains(?, new_customer_id)",
                    [sorted(former)],
                ).fetchall()
            }
            if older <= former:
                break
            former |= older
    statements = {
        "customer_map": "delete from identity.customer_map where list_contains($c, customer_id) or "
        "(id_type, id_value) in (select (id_type, id_value) from _forget_ids)",
        "customers": "delete from identity.customers where list_contains($c, customer_id)",
        "rejected": "delete from identity.rejected "
        "where (id_type, id_value) in (select (id_type, id_value) from _forget_ids)",
        "links": "delete from identity.links where (left_type, left_value) in (select (id_type, id_value) "
        "from _forget_ids) or (right_type, right_value) in (select (id_type, id_value) from _forget_ids)",
        "changes": "delete from identity.changes where list_contains($c, old_customer_id) "
        "or list_contains($c, new_customer_id)",
        "run_state": "delete from identity.run_state",
    }
    out = {}
    for table, sql in statements.items():
        if _exists(con, "identity", table):
            bound = {"c": sorted(former)} if "$c" in sql else {}
            out[table] = con.execute(sql, bound).fetchall()[0][0]
    con.unregister("_forget_ids")
    return out


def redact_schema(con, schema: str, values: list[str]) -> int:
    """Replace each value in every text and JSON column of the schema's tables; returns cells changed."""
    changed = 0
    columns = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() c semi join duckdb_tables() t "
        "using (database_name, schema_name, table_name) where database_name = current_database() "
        "and schema_name = ? and data_type in ('VARCHAR', 'JSON')",
        [schema],
    ).fetchall()
    for table, column, kind in columns:
        for value in values:
            target = f"{schema}.{q(table)}"
            text = f"{q(column)}::varchar"
            redacted = f"replace({text}, $v, '{ERASED}')" + ("::json" if kind == "JSON" else "")
            changed += con.execute(
                f"update {target} set {q(column)} = {redacted} where contains({text}, $v)", {"v": value}
            ).fetchall()[0][0]
    return changed
