"""Personal data planted where no field expects it is found nowhere the pipeline writes (issue 12).

privacy_plants.py plants a mobile in three formats, an ID-card number and an e-mail address in a
small simulated brand: in free text, nested JSON, card numbers, nicks, page paths and quarantined
records. After one run, every column of every table and view of the warehouse (raw, its quarantine
and load log, staging, identity, quality, marts), every column of the published copy, the Data Docs
files and Dagster's storage are read as text, separators stripped, and none may hold a planted
value; the published copy may hold no raw platform identifier of the brand's customers either.
"""

import re
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from privacy_plants import CODE_NEEDLES, NEEDLES, plant

from simulator import simulate

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("no_night_workers")]
SALT = "privacy-scan-salt"
EVERY = NEEDLES | CODE_NEEDLES


@pytest.fixture(scope="module")
def brand(tmp_path_factory, brand_env):
    """The planted brand run once, with its own Dagster home and Data Docs folder to scan."""
    from dagster import DagsterInstance

    from orchestration.pipeline import run_pipeline

    root = tmp_path_factory.mktemp("privacy_scan")
    landing, home = root / "landing", root / "dagster"
    simulate(landing, customers=150, days=8, seed=5, end_date=date(2026, 10, 31))
    ids = plant(landing)
    settings = brand_env(landing, root, SALT)
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_QUALITY_DOCS", str(root / "quality_docs"))
        mp.setenv("DAGSTER_HOME", str(home))
        with DagsterInstance.from_config(str(home)) as instance:
            ok = run_pipeline(settings, instance=instance)
    return {"ok": ok, "settings": settings, "landing": landing, "root": root, "home": home, "ids": ids}


SEPARATORS = re.compile(r"[\s\-+()（）－]")


def leaks(texts: dict[str, str], needles: dict[str, str]) -> list[tuple[str, str]]:
    """(where, what) for every needle found in a text, separators stripped (`+86 139 …` is found)."""
    found = []
    for where, text in texts.items():
        flat = SEPARATORS.sub("", text).lower()
        found += [(where, what) for needle, what in needles.items()
                  if SEPARATORS.sub("", needle).lower() in flat]
    return found


def table_texts(path: Path, schemas: set[str] | None = None) -> dict[str, str]:
    """Every column of every table and view (nested and JSON values as their text), per table."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() order by table_schema, table_name, ordinal_position"
        ).fetchall():
            if schemas is None or schema in schemas:
                columns.setdefault((schema, table), []).append('"' + column.replace('"', '""') + '"')
        out = {}
        for (schema, table), cols in columns.items():
            row = f"concat_ws('|', {', '.join(c + '::varchar' for c in cols)})"
            out[f"{schema}.{table}"] = con.execute(
                f"select coalesce(string_agg({row}, '|'), '') from \"{schema}\".\"{table}\""
            ).fetchone()[0]
        return out


def file_texts(folder: Path) -> dict[str, str]:
    """Every file under a folder (sqlite pages, HTML, JSON, logs; an xlsx's unzipped parts) as the
    text its bytes hold."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.suffix == ".xlsx":
                with zipfile.ZipFile(p) as z:
                    data = b"".join(z.read(name) for name in z.namelist())
            out[str(p.relative_to(folder))] = data.decode("utf-8", "ignore")
    return out


def test_the_planted_brand_runs_and_every_plant_reached_the_loader(brand):
    assert brand["ok"], "the planted night failed"
    landing = {k: v for k, v in file_texts(brand["landing"]).items() if not k.startswith("_truth")}
    assert {what for _, what in leaks(landing, EVERY)} == set(EVERY.values())  # the scan finds them
    with duckdb.connect(str(brand["settings"].warehouse), read_only=True) as con:
        quarantined = con.execute("select source || '/' || entity, reason from raw._quarantine")
        quarantined = set(quarantined.fetchall())
    # a phone where an openid belongs is named first (contract order), before the unreadable time
    assert {("mp/event", "personal_data_in_id"), ("mp/user", "personal_data_in_id"), ("ads/spend",
            "unparseable_amount"), ("org/test_account", "missing_required_field")} <= quarantined


def test_no_planted_value_in_the_warehouse(brand):
    texts = table_texts(brand["settings"].warehouse)
    assert leaks({k: v for k, v in texts.items() if not k.startswith("quality.")}, NEEDLES) == []


def test_no_phone_in_a_code_field_of_the_warehouse(brand):
    assert leaks(table_texts(brand["settings"].warehouse), CODE_NEEDLES) == []


def test_no_planted_value_in_the_quality_results(brand):
    assert leaks(table_texts(brand["settings"].warehouse, {"quality"}), EVERY) == []


def test_no_planted_value_in_the_data_docs(brand):
    docs = brand["root"] / "quality_docs"
    assert docs.is_dir() and leaks(file_texts(docs), EVERY) == []


def test_no_planted_value_in_the_guides_task_lists(brand):
    exports = brand["root"] / "exports" / "guides"
    texts = file_texts(exports)
    assert any(k.endswith(".xlsx") for k in texts) and any(k.endswith(".csv") for k in texts), sorted(texts)
    assert leaks(texts, EVERY) == []


def test_no_planted_value_in_dagster_storage(brand):
    texts = file_texts(brand["home"])
    assert any(k.endswith(".db") for k in texts), sorted(texts)  # the run was recorded there
    assert leaks(texts, EVERY) == []


def test_no_planted_value_in_the_published_copy(brand):
    assert leaks(table_texts(brand["settings"].published), EVERY) == []


def test_no_raw_platform_id_in_the_published_copy(brand):
    """The planted customers' unionid, openid, external_userid, shop buyer ids, card and nick."""
    ids = {v: k for k, v in brand["ids"].items()}
    in_warehouse = leaks(table_texts(brand["settings"].warehouse, {"identity"}), ids)
    assert {what for _, what in in_warehouse} == set(ids.values())  # loaded, and the scan finds them
    assert leaks(table_texts(brand["settings"].published), ids) == []
