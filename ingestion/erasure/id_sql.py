"""SQL over a raw relation's identifier columns (ingestion/erasure/id_columns.py), shared by erasure in the
warehouse (orchestration/forget.py) and suppression at load (ingestion/erasure/suppression.py), so both
find the same records.

Matched values come as list parameters `$m_<id_type>` (a person's few identifiers): every
statement is a plain scan, and lists of a handful of values cost nothing to look through.
"""

from __future__ import annotations

from ingestion.erasure.id_columns import IdColumn
from ingestion.write.rawdb import q


def param(id_type: str) -> str:
    return f"$m_{id_type}::varchar[]"


def params(cols: tuple[IdColumn, ...], matched: dict[str, list[str]]) -> dict[str, list[str]]:
    """The `m_<id_type>` parameters a statement over `cols` binds: every type it names, [] if none."""
    return {f"m_{c.id_type}": sorted(set(matched.get(c.id_type, ()))) for c in cols}


def _when(c: IdColumn) -> str:
    """The condition under which the column holds this id type (test accounts name their type)."""
    if not c.when:
        return "true"
    column, values = c.when
    return f"{q(column)} in ({', '.join(_literal(v) for v in values)})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def present_sql(cols: tuple[IdColumn, ...], relation: str) -> str:
    """(id_type, id_value): every identifier the relation names, once."""
    parts = []
    for c in cols:
        t, col = _literal(c.id_type), q(c.column)
        if c.shape == "value":
            parts.append(f"select {t} as id_type, {col} as id_value from {relation} where {_when(c)}")
        elif c.shape == "list":
            parts.append(f"select {t} as id_type, unnest({col}) as id_value from {relation}")
        elif c.shape == "strings":
            parts.append(
                f"select {t} as id_type, unnest(from_json({col}, '[\"varchar\"]')) as id_value "
                f"from {relation}"
            )
        else:
            parts.append(
                f"select {t} as id_type, j->>{_literal(c.key)} as id_value from "
                f"(select unnest(from_json({col}, '[\"json\"]')) as j from {relation})"
            )
    body = "\n    union all ".join(parts)
    return f"select distinct id_type, id_value from (\n    {body}\n) where id_value is not null"


def _item_matches(items: list[IdColumn], var: str = "x") -> str:
    """Whether an item names a matched identifier (false, never null, for an item without the key)."""
    if items[0].shape == "strings":
        terms = [f"list_contains({param(c.id_type)}, {var})" for c in items]
    else:
        terms = [f"list_contains({param(c.id_type)}, {var}->>{_literal(c.key)})" for c in items]
    return f"coalesce({' or '.join(terms)}, false)"


def nested(cols: tuple[IdColumn, ...]) -> dict[str, list[IdColumn]]:
    """The JSON list columns holding identifiers, with the identifier specs of each."""
    out: dict[str, list[IdColumn]] = {}
    for c in cols:
        if c.shape in ("items", "strings"):
            out.setdefault(c.column, []).append(c)
    return out


def _listed(column: str, items: list[IdColumn]) -> str:
    kind = "varchar" if items[0].shape == "strings" else "json"
    return f"from_json({q(column)}, '[\"{kind}\"]')"


def pruned_sql(column: str, items: list[IdColumn]) -> str:
    """The JSON list without the items naming a matched identifier (the column's text otherwise)."""
    kept = f"list_filter({_listed(column, items)}, lambda x: not ({_item_matches(items)}))"
    return f"case when {q(column)} is null then null else to_json({kept})::varchar end"


def list_hit_sql(column: str, items: list[IdColumn]) -> str:
    """Whether the JSON list names a matched identifier."""
    matches = f"list_transform({_listed(column, items)}, lambda x: {_item_matches(items)})"
    return f"coalesce(list_bool_or({matches}), false)"


def record_hit_sql(cols: tuple[IdColumn, ...]) -> str:
    """Whether a record is a matched person's: it names one in a value or list column, or every item
    of one of its identifier lists is theirs (a one-to-one message to them)."""
    terms = []
    for c in cols:
        if c.shape == "value":
            terms.append(
                f"({_when(c)} and coalesce(list_contains({param(c.id_type)}, {q(c.column)}), false))"
            )
        elif c.shape == "list":
            terms.append(f"coalesce(list_has_any({q(c.column)}, {param(c.id_type)}), false)")
    for column, items in nested(cols).items():
        listed = _listed(column, items)
        emptied = f"list_bool_and(list_transform({listed}, lambda x: {_item_matches(items)}))"
        terms.append(f"coalesce(len({listed}) > 0 and {emptied}, false)")
    return " or ".join(terms) or "false"
