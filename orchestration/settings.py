"""Where things are: one environment variable per external thing, read by Dagster and dbt alike.

SIYU_LANDING_DIR  the landing folder laid out as docs/sources.md says
SIYU_WAREHOUSE    the DuckDB file the pipeline writes (dbt's profile reads the same variable)
SIYU_PHONE_SALT   the secret HMAC key for phone hashes: ≥ 32 bytes, never a published one (salt.py)
SIYU_PUBLISHED    the copy BI tools read (default: <warehouse stem>.published.duckdb beside it)
SIYU_PUBLISHED_STORAGE_VERSION  the oldest DuckDB that must open that copy (default v1.1.0, publish.py)
SIYU_PUBLISHED_PARQUET  a folder of its own for one Parquet file per mart (unset: none, publish.py)
SIYU_ENGINE       the engine dbt builds with, its profile's target: duckdb (default), spark (local
                  Spark in dbt's process) or spark_thrift (a Spark Thrift server: docs/spark_cluster.md)
SIYU_SPARK_DIR    Spark's metastore, table files and logs (default: spark/ beside SIYU_WAREHOUSE); on
                  spark_thrift the folder this machine shares with the server (its tables and sources)
SIYU_SPARK_SHARED_URL  spark_thrift: SIYU_SPARK_DIR as the server reads it (s3a://…; default: the same path)
SIYU_SPARK_HOST, SIYU_SPARK_PORT, SIYU_SPARK_USER  spark_thrift: the server (127.0.0.1, 10000, siyu)
SIYU_NIGHT_WORKERS  1: `siyu run` uses worker processes (default with 2+ cores), 0: none (worker.py)
SIYU_DUCKDB_DISABLED_COMPRESSION  the compression dbt's tables are written without (default dict_fsst;
                  none: DuckDB's default, about half the disk; dbt_project/profiles.yml)
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# Where dbt writes its manifest and each invocation's artefacts: dbt's own DBT_TARGET_PATH when set
# (dbt and dagster-dbt read it too; relative to the dbt project, as dbt reads it), else target/.
# One folder per process that runs nights side by side (the test suite's workers).
DBT_TARGET_DIR = DBT_PROJECT_DIR / os.environ.get("DBT_TARGET_PATH", "target")
VAR_DIR = PROJECT_ROOT / "var"
SOURCES_DOC = "docs/sources.md"  # the landing layout and every source contract, generated from them

# The demo lives in its own folder whatever the environment says, so it can never write over a
# brand's landing folder or warehouse. Its salt is public by design and accepted only there
# (orchestration/salt.py): demo data is fictional. Real data must bring its own.
DEMO_DIR = VAR_DIR / "demo"
DEMO_PHONE_SALT = "siyu-demo-salt-not-secret"

TELEMETRY_OFF = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "GX_ANALYTICS_ENABLED": "False",
}


# Schemas the pipeline writes (dbt's generate_schema_name keeps them unprefixed), plus DuckDB's own
WAREHOUSE_SCHEMAS = {
    "raw",
    "seeds",
    "staging",
    "intermediate",
    "marts",
    "identity",
    "value",
    "quality",
    "main",
    "system",
    "temp",
}


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


# dbt_project/profiles.yml has one output per engine, named as here; its target is $SIYU_ENGINE
ENGINES = ("duckdb", "spark", "spark_thrift")
# What each Spark engine needs installed, and the extra that installs it
SPARK_EXTRAS = {
    "spark": (("pyspark", "dbt.adapters.spark"), "spark"),
    "spark_thrift": (("dbt.adapters.spark", "pyhive", "thrift"), "cluster"),
}


def engine() -> str:
    """$SIYU_ENGINE, the engine dbt builds with (docs/engines.md); a typo or a missing extra stops
    here rather than as dbt's "target not found" or an import error in the middle of a night."""
    name = os.environ.get("SIYU_ENGINE") or "duckdb"  # as profiles.yml reads it: exactly, no case folding
    if name not in ENGINES:
        raise ConfigError(f"SIYU_ENGINE={name}: not an engine of this project; choose one of "
                          f"{', '.join(ENGINES)}")
    if name in SPARK_EXTRAS:
        import importlib.util

        modules, extra = SPARK_EXTRAS[name]
        if not all(importlib.util.find_spec(m) for m in modules):
            raise ConfigError(
                f"SIYU_ENGINE={name}: install the {extra} extra first (pip install -e '.[{extra}]')")
    return name


def on_spark() -> bool:
    """Whether dbt builds on Spark (local or a server): its steps run through engines/spark_dbt.py."""
    return engine() in SPARK_EXTRAS


def spark_shared_url() -> str:
    """Where the Spark engine reads SIYU_SPARK_DIR: $SIYU_SPARK_SHARED_URL (a Thrift server that sees
    the shared folder under another name, s3a://… or hdfs://…), else the folder's own path."""
    url = os.environ.get("SIYU_SPARK_SHARED_URL", "").strip().rstrip("/")
    return url or str(spark_dir())


def spark_dir() -> Path:
    """$SIYU_SPARK_DIR, else `spark/` beside the DuckDB file: what profiles.yml gives Spark."""
    folder = os.environ.get("SIYU_SPARK_DIR", "").strip()
    if folder:
        return Path(folder).resolve()
    return Path(os.environ.get("SIYU_WAREHOUSE", VAR_DIR / "warehouse.duckdb")).resolve().parent / "spark"


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path
    phone_salt: bytes
    published: Path

    @classmethod
    def from_env(cls, require_salt: bool = True) -> Settings:
        """The settings of the environment; `require_salt` (every command that hashes phones)
        refuses a salt that would not protect them. Commands that only read take none."""
        landing = Path(os.environ.get("SIYU_LANDING_DIR", VAR_DIR / "landing"))
        warehouse = Path(os.environ.get("SIYU_WAREHOUSE", VAR_DIR / "warehouse.duckdb"))
        salt = os.environ.get("SIYU_PHONE_SALT", "").encode("utf-8")
        published = Path(
            os.environ.get("SIYU_PUBLISHED", warehouse.with_name(f"{warehouse.stem}.published.duckdb"))
        )
        for variable, path in (("SIYU_WAREHOUSE", warehouse), ("SIYU_PUBLISHED", published)):
            # DuckDB names a database after its file: `marts.duckdb` makes `marts.user_assets` ambiguous
            if path.name.split(".")[0].lower() in WAREHOUSE_SCHEMAS:
                raise ConfigError(
                    f"{variable}={path}: a DuckDB file named after one of the warehouse's schemas "
                    f"({', '.join(sorted(WAREHOUSE_SCHEMAS))}) makes every query of that schema ambiguous; "
                    "choose another file name, e.g. warehouse.duckdb"
                )
        settings = cls(landing.resolve(), warehouse.resolve(), salt, published.resolve())
        engine()  # a typo or a missing Spark extra stops here, before the landing loads
        published_storage_version()  # a typo stops here, not at the publish step an hour later
        disabled_compression()  # and here, not at dbt's first statement
        if require_salt:
            from orchestration.salt import check_salt

            check_salt(settings.phone_salt, settings.warehouse, settings.landing_dir)
        return settings

    @classmethod
    def demo(cls) -> Settings:
        """The demo's settings: its own folder and the public demo salt, whatever the environment says."""
        warehouse, landing, published = demo_paths()
        return cls(landing, warehouse, DEMO_PHONE_SALT.encode("utf-8"), published)

    def check_writable(self) -> None:
        """Fail before anything runs when the pipeline could not write the warehouse or the
        published copy: otherwise every asset fails in turn, each with its own traceback."""
        for variable, path in (("SIYU_WAREHOUSE", self.warehouse), ("SIYU_PUBLISHED", self.published)):
            problem = _unwritable(path)
            if problem:
                raise ConfigError(f"{variable}={path}: {problem}")
        if self.warehouse.is_file():
            import duckdb

            try:  # DuckDB has one writer: a BI tool or `siyu ui` holding the file fails every step
                duckdb.connect(str(self.warehouse)).close()
            except duckdb.IOException as exc:
                held = str(exc).partition("Conflicting lock is held in ")[2].split(". See")[0]
                if held:
                    raise ConfigError(
                        f"SIYU_WAREHOUSE={self.warehouse}: open in another process ({held}); close it and "
                        f"run again (BI tools read the published copy, {self.published.name})"
                    ) from None

    def export(self) -> None:
        """Write the settings back to the environment, so dbt (a subprocess) sees the same ones."""
        os.environ["SIYU_LANDING_DIR"] = str(self.landing_dir)
        os.environ["SIYU_WAREHOUSE"] = str(self.warehouse)
        os.environ["SIYU_PHONE_SALT"] = self.phone_salt.decode("utf-8")
        os.environ["SIYU_PUBLISHED"] = str(self.published)


def published_storage_version() -> str:
    """$SIYU_PUBLISHED_STORAGE_VERSION (default v1.1.0), as DuckDB's ATTACH … (STORAGE_VERSION) takes it:
    `v<major>.<minor>.<patch>` of the oldest DuckDB that must read the published copy, or `latest`."""
    import duckdb

    from orchestration.publish import PUBLISHED_STORAGE_VERSION

    version = os.environ.get("SIYU_PUBLISHED_STORAGE_VERSION", "").strip() or PUBLISHED_STORAGE_VERSION
    with duckdb.connect() as con:
        try:  # DuckDB knows which versions it can write: ask it rather than keep a list here
            quoted = "'" + version.replace("'", "''") + "'"
            con.execute(f"attach ':memory:' as probe (storage_version {quoted})")
        except duckdb.Error as exc:
            raise ConfigError(
                f"SIYU_PUBLISHED_STORAGE_VERSION={version}: not a storage version this DuckDB "
                f"({duckdb.__version__}) writes; give the oldest DuckDB your BI tools bundle, e.g. v1.1.0 "
                f"({str(exc).split(', valid options')[0]})"
            ) from None
    return version


def disabled_compression() -> str:
    """$SIYU_DUCKDB_DISABLED_COMPRESSION (default dict_fsst), the compression methods DuckDB writes dbt's
    tables without (dbt_project/profiles.yml); `none` disables none."""
    import duckdb

    methods = os.environ.get("SIYU_DUCKDB_DISABLED_COMPRESSION", "dict_fsst")
    with duckdb.connect() as con:
        try:  # DuckDB knows its compression methods: ask it, as dbt's SET will
            con.execute("set disabled_compression_methods = '" + methods.replace("'", "''") + "'")
        except duckdb.Error as exc:
            raise ConfigError(
                f"SIYU_DUCKDB_DISABLED_COMPRESSION={methods}: not a list of DuckDB compression methods "
                f"(comma-separated, e.g. dict_fsst, or none) ({str(exc).splitlines()[0]})"
            ) from None
    return methods


def demo_paths() -> tuple[Path, Path, Path]:
    """The demo's (warehouse, landing folder, published copy), all under DEMO_DIR."""
    root = DEMO_DIR.resolve()
    return root / "warehouse.duckdb", root / "landing", root / "warehouse.published.duckdb"


def _unwritable(path: Path) -> str | None:
    """What stops the pipeline from creating or rewriting the DuckDB file `path`, or None.
    DuckDB writes `<file>.wal` beside the file and the publish step a `.tmp` copy: the directory
    itself must take new files, not only the file."""
    if path.is_dir():
        return "this is a folder; give the path of a DuckDB file inside it, e.g. warehouse.duckdb"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only; make it writable or choose another path"
    folder = path.parent
    while not folder.exists():  # the run creates missing folders: the nearest existing one must take them
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder; choose a path under a folder"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return (f"cannot create files in {folder} ({exc.strerror or exc}); "
                "choose a writable folder or fix its permissions")
    return None


def quiet_telemetry() -> None:
    for key, value in TELEMETRY_OFF.items():
        os.environ.setdefault(key, value)


def dbt_vars() -> dict:
    """Business parameters live in one place, dbt_project.yml `vars:`; Python assets read them too."""
    import yaml

    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def identity_rules() -> dict:
    """The merge-protection rules from dbt vars, as keyword arguments of `resolve_identities`."""
    rules = dbt_vars()
    return {
        "degree_cap": int(rules["identity_degree_cap"]),
        "unique_types": tuple(rules["identity_unique_types"]),
        "account_groups": {g: tuple(t) for g, t in (rules.get("identity_account_groups") or {}).items()},
    }


def load_env_file(path: Path = PROJECT_ROOT / ".env") -> None:
    """Read KEY=VALUE lines from `.env` (see .env.example); variables already set win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))
