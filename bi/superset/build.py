"""Build the Superset import bundle: bi/superset/bundle/ (plain YAML) -> one zip.

The zip is what `superset import-dashboards -p` and POST /api/v1/dashboard/import/ accept:
<root>/metadata.yaml, databases/, datasets/<database>/, charts/, dashboards/. Three things are
filled in here rather than kept in the YAML, so that each has one home:
- the database's path: `SIYU_PUBLISHED_PATH` in its URI becomes the published copy's absolute path
  (Superset runs on the BI machine, so its path, not the pipeline's, belongs in the bundle);
- the datasets' table and column descriptions: dbt's, from dbt_project/models/marts/**/*.yml (the
  text dbt docs and the published file's comments show), unless a dataset gives its own;
- each chart's `query_context`, which Superset stores as a JSON string: the YAML keeps it as a
  mapping, and the chart's params go in as its form_data, as Superset's own editor saves them.

    python bi/superset/build.py --published var/demo/warehouse.published.duckdb --out bundle.zip
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle"
MARTS = HERE.parents[1] / "dbt_project" / "models" / "marts"
PLACEHOLDER = "SIYU_PUBLISHED_PATH"
ROOT = "siyu_superset_bundle"


def dbt_models(marts: Path = MARTS) -> dict[str, dict]:
    """Model name -> its dbt YAML entry (description, columns), for every mart."""
    models = {}
    for path in sorted(marts.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            models[model["name"]] = model
    return models


def _text(description: object) -> str | None:
    """dbt's folded YAML text on one line; None when there is none."""
    return " ".join(str(description or "").split()) or None


def database(config: dict, published: Path) -> dict:
    if not published.is_absolute():
        raise ValueError(f"the published copy's path must be absolute: {published}")
    uri = config["sqlalchemy_uri"]
    if PLACEHOLDER not in uri:
        raise ValueError(f"{PLACEHOLDER} is not in the database's URI: {uri}")
    return {**config, "sqlalchemy_uri": uri.replace(PLACEHOLDER, published.as_posix())}


def dataset(config: dict, models: dict[str, dict]) -> dict:
    model = models[config["table_name"]]
    described = {c["name"]: _text(c.get("description")) for c in model.get("columns", [])}
    columns = [
        {**column, "description": column.get("description") or described.get(column["column_name"])}
        for column in config["columns"]
    ]
    return {
        **config,
        "description": config.get("description") or _text(model.get("description")),
        "columns": columns,
    }


def chart(config: dict) -> dict:
    context = config.get("query_context")
    if context is None:
        return config
    # the dataset's id is only known on import: Superset replaces this placeholder by it
    full = {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": context["queries"],
        "form_data": config["params"],
        "result_format": "json",
        "result_type": "full",
    }
    return {**config, "query_context": json.dumps(full, ensure_ascii=False)}


def build(published: Path, out: Path, bundle: Path = BUNDLE, marts: Path = MARTS) -> Path:
    """Write the zip to `out` and return it."""
    models = dbt_models(marts)
    fill = {
        "databases": lambda c: database(c, published),
        "datasets": lambda c: dataset(c, models),
        "charts": chart,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bundle.rglob("*.yaml")):
            relative = path.relative_to(bundle)
            config = yaml.safe_load(path.read_text(encoding="utf-8"))
            config = fill.get(relative.parts[0], lambda c: c)(config)
            text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
            archive.writestr(f"{ROOT}/{relative.as_posix()}", text)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", required=True, type=Path, help="the published DuckDB file")
    parser.add_argument("--out", required=True, type=Path, help="the zip to write")
    args = parser.parse_args(argv)
    print(build(args.published.resolve(), args.out))


if __name__ == "__main__":
    main()
