"""sqlfluff's stand-in for dbt's `adapter` (pyproject.toml, `library_path`): `adapter.dispatch(name)`
returns the `duckdb__<name>` macro, so the linter reads the SQL DuckDB runs (the dialect it lints)."""

from jinja2 import pass_context


@pass_context
def dispatch(context, macro_name, macro_namespace=None):
    return context.resolve(f"duckdb__{macro_name}")
