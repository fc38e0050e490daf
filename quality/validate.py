"""Run an expectation suite on a DataFrame with an ephemeral GX context; build Data Docs.

GX's SQL datasource cannot validate DuckDB (GX issues #10738, #11579: DuckDB is not among the
dialects GX keeps one connection open for, so metric queries run on fresh, empty in-memory
databases). Raw partitions are therefore read from DuckDB into pandas (only the columns the suite
needs, only the run's `_business_date`s) and validated with GX's pandas datasource.
GX takes ~10 s to import (4 CPU-s): a session imports it, and starts its context, at its first
validation, so a run whose tables have no suite (quality.suites) or no rows never pays for it.
GX keeps sample unexpected values in its results and Data Docs, so it is given shapes, not values
(quality.shapes): a phone in an openid column fails the check as before and shows as "13999999999".
"""

from __future__ import annotations

import os
import shutil
import warnings
from datetime import date
from pathlib import Path

from quality.results import Finding
from quality.shapes import shape_frame

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOCS_ENV = "SIYU_QUALITY_DOCS"
# Partial results: enough sample values and days to recognise a problem; the counts are complete.
RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": 20,
    "unexpected_index_column_names": ["_business_date"],
}
# what a session's first validation imports (a night imports it ahead: orchestration/defs/ingestion.py)
GX_MODULES = ("great_expectations",)
SAMPLE_VALUES = 5
SAMPLE_CHARS = 80


def docs_dir() -> Path:
    """Where Data Docs are written: $SIYU_QUALITY_DOCS (the CLI sets it to quality_docs/ beside the
    warehouse unless it is set), else var/quality_docs/."""
    return Path(os.environ.get(DOCS_ENV, PROJECT_ROOT / "var" / "quality_docs"))


class GxSession:
    """One ephemeral GX context for a run: validates many frames, then builds one Data Docs site
    holding this run's validations (earlier runs' pages are removed: the warehouse keeps history).
    A session that validated nothing builds no site: the last one that did stays in place."""

    def __init__(self, docs: Path | None = None, run_name: str | None = None):
        self.docs = Path(docs) if docs else None
        self.run_name = run_name
        self.context = None  # started by the first validation

    def start(self) -> None:
        """Import GX and start the context (the first validation does it; once per session)."""
        if self.context is not None:
            return
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        # Data Docs group validations by their run
        self.run_id = RunIdentifier(run_name=self.run_name) if self.run_name else None
        site = {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(self.docs.resolve()) if self.docs else "",
            },
        }
        # In memory, with our one docs site or none (GX's default adds a temporary-folder site)
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            data_docs_sites={"siyu": site} if self.docs else {},
            progress_bars=ProgressBarsConfig(globally=False),
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.datasource = self.context.data_sources.add_pandas("raw")

    def validate(
        self, suite, frame, parameters: dict | None = None, check: str = "contract"
    ) -> list[Finding]:
        """Validate the shape of `frame` against `suite`; one Finding per expectation."""
        self.start()
        gx, name = self._gx, suite.name
        frame = shape_frame(frame, kept_values(suite))
        batch_definition = self.datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe(
            name
        )
        suite = self.context.suites.add(suite)
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas 3 deprecations raised inside GX
            result = definition.run(
                batch_parameters={"dataframe": frame},
                result_format=RESULT_FORMAT,
                expectation_parameters=parameters or {},
                run_id=self.run_id,
            )
        return [_finding(r, check) for r in result.results]

    def build_docs(self) -> Path | None:
        """Write the Data Docs site; returns its index.html (None: no site, or nothing validated)."""
        if not self.docs or self.context is None:
            return None
        for old in ("validations", "expectations"):
            shutil.rmtree(self.docs / old, ignore_errors=True)
        self.context.build_data_docs()
        return self.docs / "index.html"


def validate_frame(suite, frame, parameters: dict | None = None) -> list[Finding]:
    """Validate one frame in a fresh ephemeral context, without Data Docs."""
    return GxSession().validate(suite, frame, parameters)


def kept_values(suite) -> dict[str, set]:
    """column → the values the suite compares literally: in-set values and row-condition parameters.
    A shaped frame keeps these as they are, so sets and conditions keep their verdicts."""
    kept: dict[str, set] = {}
    for e in suite.expectations:
        if getattr(e, "value_set", None) is not None and getattr(e, "column", None):
            kept.setdefault(e.column, set()).update(e.value_set)
        _condition_values(getattr(e, "row_condition", None), kept)
    return kept


def _condition_values(condition, kept: dict[str, set]) -> None:
    from great_expectations.expectations import row_conditions as rc

    if condition is None or isinstance(condition, rc.NullityCondition):
        return  # a null stays null in a shape
    if isinstance(condition, (rc.AndCondition, rc.OrCondition)):
        for c in condition.conditions:
            _condition_values(c, kept)
    elif isinstance(condition, rc.ComparisonCondition):
        p = condition.parameter
        values = p if isinstance(p, (list, tuple, set, frozenset)) else [p]
        kept.setdefault(condition.column.name, set()).update(values)
    else:  # a pandas query string: which values it compares cannot be told, so it is refused
        raise TypeError(f"row condition {condition!r}: only GX condition objects can be shaped for")


def _finding(r, check: str) -> Finding:
    config, res = r.expectation_config, r.result or {}
    kwargs = config.kwargs
    column = kwargs.get("column") or ",".join(kwargs.get("column_list", []) or []) or None
    details: dict = {"note": (config.meta or {}).get("rule", "")}
    for k in ("element_count", "unexpected_count", "unexpected_percent", "observed_value"):
        if res.get(k) is not None:
            details[k] = res[k]
    error = (
        (r.exception_info or {}).get("exception_message")
        if (r.exception_info or {}).get("raised_exception")
        else None
    )
    if error:
        details["error"] = error[:300]
    sample = [_short(v) for v in (res.get("partial_unexpected_list") or [])[:SAMPLE_VALUES]]
    if sample:
        details["sample"] = sample
    days = sorted(
        {
            _day(i.get("_business_date"))
            for i in (res.get("partial_unexpected_index_list") or [])
            if isinstance(i, dict) and i.get("_business_date") is not None
        }
    )
    observed = res.get("unexpected_count")
    return Finding(
        check,
        config.type,
        column,
        bool(r.success),
        float(observed) if observed is not None else None,
        tuple(days),
        details,
        blocking=str(getattr(config.severity, "value", config.severity)) == "critical",
    )


def _short(v) -> str:
    s = str(v)
    return s if len(s) <= SAMPLE_CHARS else s[: SAMPLE_CHARS - 1] + "…"


def _day(v) -> date:
    return v.date() if hasattr(v, "date") else date.fromisoformat(str(v)[:10])
