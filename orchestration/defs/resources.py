"""Resources: the warehouse connection and the landing folder, configured from the environment.

The salt is checked here, not only by the CLI: runs launched from `siyu ui`, its schedule and its
sensor build this resource too, so they refuse a weak or published salt before any step, and every
connection refuses a warehouse built with another salt (orchestration/salt.py)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from dagster import ConfigurableResource, EnvVar, Failure, InitResourceContext
from dagster_dbt import DbtCliResource

from orchestration.connect import open_warehouse
from orchestration.salt import check_salt
from orchestration.settings import DBT_PROJECT_DIR, VAR_DIR, ConfigError, on_spark


class Warehouse(ConfigurableResource):
    """The DuckDB warehouse the pipeline writes. One writer at a time: every asset that opens it
    is in the `duckdb` pool, and BI tools read the published copy instead."""

    path: str
    landing_dir: str
    phone_salt: str

    def setup_for_execution(self, context: InitResourceContext) -> None:
        try:
            check_salt(self.salt, Path(self.path).resolve(), self.landing.resolve())
        except ConfigError as exc:
            raise Failure(description=str(exc)) from None

    @contextmanager
    def connect(self):
        try:
            with open_warehouse(self.path, self.salt) as con:
                yield con
        except ConfigError as exc:  # another salt's warehouse
            raise Failure(description=str(exc)) from None

    @property
    def salt(self) -> bytes:
        return self.phone_salt.encode("utf-8")

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)


class SiyuDbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, without two things a night paid for and never used (measured on
    the small brand: ~6.5 s of the first dbt step). dagster-dbt runs `dbt --version` in a subprocess
    to learn which dbt it drives (~4 s, importing dbt): ours is the dbt-core installed beside this
    interpreter, whose version the package metadata gives. It also opens a dbt adapter in process
    (~2.5 s, then ~0.7 s a step) only to fetch column metadata and row counts, which these assets do
    not ask for (dagster-dbt skips both when there is no adapter)."""

    @cached_property
    def _cli_version(self):
        from packaging.version import parse

        return parse(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def default_dbt_executable() -> str:
    """The dbt installed beside this interpreter, so a venv works without being activated; on Spark
    (SIYU_ENGINE=spark or spark_thrift) its wrapper, which also hands the steps' sources to Spark
    and Spark's tables back to the Python steps (engines/spark_dbt.py)."""
    name = "siyu-dbt-spark" if on_spark() else "dbt"
    return str(Path(sys.executable).parent / name)


def build_resources(dbt_executable: str | None = None) -> dict:
    """`dbt_executable`: the dbt each dbt step runs (`siyu run` gives its warm process's client,
    orchestration/warm.py); by default default_dbt_executable()."""
    return {
        "warehouse": Warehouse(
            path=EnvVar("SIYU_WAREHOUSE"),
            landing_dir=EnvVar("SIYU_LANDING_DIR"),
            phone_salt=EnvVar("SIYU_PHONE_SALT"),
        ),
        "dbt": SiyuDbtCli(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(DBT_PROJECT_DIR),
            dbt_executable=dbt_executable or default_dbt_executable(),
        ),
    }


DEFAULT_WAREHOUSE = VAR_DIR / "warehouse.duckdb"
