"""`siyu rekey`: rebuild every phone hash under a new salt.

Hashes are made once, at load: the phone hash columns of the raw tables, identifiers that are phones
or ID-card numbers, the salted record hashes, the records kept in raw._quarantine. dbt and identity
only carry them on. Re-keying therefore empties the schemas built from them and runs the pipeline
over every landing day, as a first run would: the loader fills `raw` again, dbt rebuilds staging to
marts, identity resolves from scratch (customer ids that hung on a phone change, and
identity.changes starts over), and the published copy is replaced when the run succeeds. The new
salt's fingerprint is recorded in the same transaction as the emptying, so a stopped re-key is
finished by `siyu run` with the new salt and refused with the old one.

Raw days whose landing files are gone could not be loaded again: re-keying refuses while there are
any. Not rewritten: quality.validation_results (the history of checks, as they ran) and the
file's free blocks, which DuckDB reuses but does not wipe — build into a new SIYU_WAREHOUSE to leave
no old byte behind.
"""

from __future__ import annotations

import duckdb

from ingestion.contracts import CONTRACTS
from ingestion.landing.layout import discover
from orchestration.salt import record_fingerprint
from orchestration.settings import ConfigError, Settings

# Schemas holding values derived from the salt; dbt and the identity step rebuild them all.
KEYED_SCHEMAS = ("raw", "staging", "intermediate", "identity", "value", "marts")


def unlanded_days(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[str]:
    """'source/entity/day' of every day raw holds whose landing folder is gone."""
    try:
        loaded = con.execute("select distinct source, entity, business_date from raw._load_log").fetchall()
    except duckdb.CatalogException:
        return []
    landed = {key: set(days) for key, days in discover(settings.landing_dir).partitions.items()}
    return sorted(
        f"{source}/{entity}/{day}"
        for source, entity, day in loaded
        if (source, entity) in CONTRACTS and day not in landed.get((source, entity), ())
    )


def erasures(con: duckdb.DuckDBPyConnection) -> int:
    """Entries of the suppression list (`siyu forget`), keyed under the old salt."""
    try:
        return con.execute("select count(*) from raw._suppressed").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def prepare_rekey(settings: Settings, drop_erasures: bool = False) -> int:
    """Empty the keyed schemas and record the new salt; returns the number of tables dropped."""
    if not settings.warehouse.is_file():
        return 0
    with duckdb.connect(str(settings.warehouse)) as con:
        erased = erasures(con)
        if erased and not drop_erasures:
            # the list holds keyed hashes only: nothing can re-key it, and without it the reload
            # brings erased people back from the landing files that still hold them
            raise ConfigError(
                f"raw._suppressed holds {erased} erased identifiers keyed under the old salt, and re-keying "
                "reloads every landing file, bringing those people back. Keep the erasure requests' values, "
                "run `siyu rekey --drop-erasures`, then `siyu forget --file <requests>` again. Nothing was "
                "changed"
            )
        gone = unlanded_days(con, settings)
        if gone:
            raise ConfigError(
                f"raw holds {len(gone)} days whose landing files are gone ({', '.join(gone[:3])}"
                f"{', …' if len(gone) > 3 else ''}): re-keying reloads every day from "
                f"{settings.landing_dir}, so put those files back first. Nothing was changed"
            )
        dropped = con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            f"and schema_name in {KEYED_SCHEMAS}"
        ).fetchone()[0]
        con.execute("begin transaction")
        for schema in KEYED_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        record_fingerprint(con, settings.phone_salt)
        con.execute("commit")
        con.execute("checkpoint")
    return dropped
