"""The suppression list: people erased on request (`siyu forget`) stay out when their records are
delivered again.

`raw._suppressed` holds one entry per identifier of each erased person:
HMAC-SHA256(key, "<id_type>:<stored value>") with a key derived from the warehouse secret
(SIYU_PHONE_SALT) as identity/registry.py derives the customer-id key — never the value itself, so
the list names nobody to whoever reads the warehouse without the secret. The stored value is what
the loader writes: a phone's keyed hash, an identifier trimmed (and hashed when it is a mobile, an
ID-card number or an e-mail address, ingestion/normalise/personal.py).

At load, each batch's identifiers (ingestion/erasure/id_columns.py) are hashed the same way inside DuckDB —
HMAC written out as two sha256 calls over the key's padded blocks, once per distinct value of the
batch — and looked up in the list; nothing is computed when the list is empty. A record naming a
suppressed identifier is dropped and counted in `raw._load_log.suppressed` (never quarantined:
quarantine keeps the record); a suppressed group member or recipient is taken out of its list.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.erasure.id_columns import PHONE, columns_of
from ingestion.erasure.id_sql import list_hit_sql, nested, params, present_sql, pruned_sql, record_hit_sql
from ingestion.normalise.personal import hash_id
from ingestion.normalise.phones import HASHABLE_KINDS, hash_phone, normalise_phone
from ingestion.write.rawdb import q

TABLE = "raw._suppressed"
DDL = (
    f"create table if not exists {TABLE} (entry varchar primary key, id_type varchar, "
    "request_id varchar, requested_at timestamptz)"
)
# Its own key: what is hashed for the list is never comparable with a phone hash or a customer id.
KEY_LABEL = b"siyu suppression v1"


def suppression_key(secret: bytes) -> bytes:
    if not secret:
        raise ValueError("the suppression list needs the warehouse secret (SIYU_PHONE_SALT)")
    return hmac.new(secret, KEY_LABEL, hashlib.sha256).digest()


def entry(key: bytes, id_type: str, value: str) -> str:
    return hmac.new(key, f"{id_type}:{value}".encode(), hashlib.sha256).hexdigest()


def keyed_sql(type_expr: str, value_expr: str) -> str:
    """entry() in DuckDB: HMAC = sha256(key^opad || sha256(key^ipad || message)), the padded key
    blocks bound as $ipad and $opad (see pads())."""
    message = f"encode({type_expr} || ':' || {value_expr})"
    return f"sha256(unhex($opad) || unhex(sha256(unhex($ipad) || {message})))"


def pads(key: bytes) -> dict[str, str]:
    block = key.ljust(64, b"\0")  # a 32-byte key is one block, zero-padded (RFC 2104)
    return {"ipad": bytes(b ^ 0x36 for b in block).hex(), "opad": bytes(b ^ 0x5C for b in block).hex()}


def stored_value(id_type: str, value: str, salt: bytes) -> str:
    """The value as the loader stores it. ValueError for a phone that is not a mainland mobile."""
    if id_type == PHONE:
        r = normalise_phone(value)
        if r.kind not in HASHABLE_KINDS:
            raise ValueError(f"not a mainland mobile number ({r.kind})")
        return hash_phone(r.e164, salt)
    text = value.strip()
    if not text:
        raise ValueError("an empty identifier")
    return hash_id(text, salt)


class Suppressor:
    """Suppression for one load: the list read once, batches checked on an in-memory DuckDB."""

    def __init__(self, key: bytes, entries: list[str]):
        self.con = duckdb.connect()
        self.con.register("_siyu_entries", pa.table({"entry": pa.array(entries, pa.string())}))
        self.pads = pads(key)

    @classmethod
    def of(cls, con, salt: bytes) -> Suppressor | None:
        """The warehouse's suppression list, or None when it is empty (nothing to do at load)."""
        try:
            entries = [e for (e,) in con.execute(f"select entry from {TABLE}").fetchall()]
        except duckdb.CatalogException:
            return None
        return cls(suppression_key(salt), entries) if entries else None

    def matched(self, cols, relation: str) -> dict[str, list[str]]:
        """The relation's identifiers that are on the list, by id type."""
        rows = self.con.execute(
            f"select id_type, id_value from (select *, {keyed_sql('id_type', 'id_value')} as entry "
            f"from ({present_sql(cols, relation)})) semi join _siyu_entries using (entry)",
            self.pads,
        ).fetchall()
        out: dict[str, list[str]] = {}
        for id_type, value in rows:
            out.setdefault(id_type, []).append(value)
        return out

    def piece(self, contract, p) -> int:
        """Drop a piece's suppressed records (rows and quarantined ones) and prune its lists, in place;
        returns how many records were dropped."""
        cols = columns_of(contract.source, contract.entity)
        if not cols:
            return 0
        dropped = self._rows(cols, p) if p.good is not None else 0
        return dropped + (self._quarantined(cols, p) if p.quarantine else 0)

    def _rows(self, cols, p) -> int:
        good = p.good.append_column("_siyu_i", pa.array(np.arange(p.good.num_rows)))
        self.con.register("_siyu_b", good)
        try:
            matched = self.matched(cols, "_siyu_b")
            if not matched:
                return 0
            lists = nested(cols)
            select = [f"{record_hit_sql(cols)} as _hit"]
            select += [f"{pruned_sql(column, items)} as {q(column)}" for column, items in lists.items()]
            out = self.con.sql(
                f"select {', '.join(select)} from _siyu_b order by _siyu_i", params=params(cols, matched)
            ).to_arrow_table()
        finally:
            self.con.unregister("_siyu_b")
        ok = p.good["_ok"]
        gone = pc.and_(ok, out["_hit"])
        n = pc.sum(gone).as_py() or 0
        table = p.good.set_column(p.good.schema.get_field_index("_ok"), "_ok", pc.and_not(ok, out["_hit"]))
        for column in lists:
            i = table.schema.get_field_index(column)
            table = table.set_column(i, column, out[column].cast(table.schema.field(i).type))
        p.good, p.loaded = table, p.loaded - n
        return n

    def _quarantined(self, cols, p) -> int:
        """Quarantined records are JSON of the stored columns (ingestion/normalise/quarantine.py)."""
        records = pa.table(
            {
                "_siyu_i": pa.array(range(len(p.quarantine))),
                "record": pa.array([r[3] for r in p.quarantine], pa.string()),
            }
        )
        relation = quarantine_relation(cols, "_siyu_q")
        self.con.register("_siyu_q", records)
        try:
            matched = self.matched(cols, relation)
            if not matched:
                return 0
            hit = " or ".join([record_hit_sql(cols), *(list_hit_sql(c, i) for c, i in nested(cols).items())])
            gone = {
                i
                for (i,) in self.con.execute(
                    f"select _siyu_i from {relation} where {hit}", params(cols, matched)
                ).fetchall()
            }
        finally:
            self.con.unregister("_siyu_q")
        reasons = dict(p.reasons or {})
        for i in gone:
            reasons[p.quarantine[i][1]] -= 1
        p.reasons = {k: v for k, v in reasons.items() if v}
        p.quarantine = [r for i, r in enumerate(p.quarantine) if i not in gone]
        return len(gone)


def quarantine_relation(cols, table: str, source: str | None = None, entity: str | None = None) -> str:
    """The identifier columns of quarantined records (JSON of the stored columns,
    ingestion/normalise/quarantine.py) as a relation, with `_siyu_i` the row's index (in
    raw._quarantine its rowid). A record cut at its size limit is no longer JSON: erasure finds it
    by its text instead (orchestration/forget_erase.py)."""
    extract = ", ".join(_extract(c) for c in {c.column: c for c in _with_when(cols)}.values())
    index = "_siyu_i" if source is None else "rowid"
    where = "" if source is None else f" and source = {_lit(source)} and entity = {_lit(entity)}"
    return (
        f"(select {extract}, _siyu_i from (select {index} as _siyu_i, try_cast(record as json) as r "
        f"from {table} where json_valid(record){where}))"
    )


def _with_when(cols):
    """The identifier columns plus the columns their conditions read (a test account's id_type)."""
    from ingestion.erasure.id_columns import IdColumn

    return [*cols, *(IdColumn(c.when[0], "", "value") for c in cols if c.when)]


def _extract(c) -> str:
    if c.shape == "value":
        return f"r->>{_lit(c.column)} as {q(c.column)}"
    if c.shape == "list":
        return f"from_json(r->{_lit(c.column)}, '[\"varchar\"]') as {q(c.column)}"
    return f"(r->{_lit(c.column)})::varchar as {q(c.column)}"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
