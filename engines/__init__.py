"""The pipeline on engines other than DuckDB (docs/engines.md): plain Python, no dagster import."""
