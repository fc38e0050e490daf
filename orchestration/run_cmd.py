"""`siyu run` and `siyu rekey`: check the landing and the salt, run the night (orchestration/pipeline.py)
with its log and console lines, then say what was loaded, what stopped it and where the marts are.
`siyu demo` and `siyu forget` run their nights through `run_night` too; `dagster_home` is where every
command that starts Dagster keeps its runs."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
from datetime import date
from pathlib import Path

from orchestration.settings import SOURCES_DOC, ConfigError, Settings


def dagster_home(settings: Settings) -> Path:
    """The Dagster home (runs, schedules, sensor cursors) and the GX Data Docs of this warehouse:
    $DAGSTER_HOME / $SIYU_QUALITY_DOCS when set, else `dagster/` and `quality_docs/` beside the
    warehouse, like its `logs/` — two warehouses in two folders never share run history, so a run
    against one never marks the other's assets failed."""
    root = settings.warehouse.parent
    os.environ.setdefault("SIYU_QUALITY_DOCS", str(root / "quality_docs"))
    # Dagster refuses a relative DAGSTER_HOME
    home = Path(os.environ.get("DAGSTER_HOME") or root / "dagster").resolve()
    os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        from orchestration.serve import DAGSTER_YAML

        config.write_text(DAGSTER_YAML)
    return home


def cmd_run(args: argparse.Namespace) -> int:
    """`siyu run`, and `siyu rekey`: the same run after emptying what the old salt built."""
    from orchestration.rekey import prepare_rekey
    from orchestration.salt import check_warehouse_file

    settings = Settings.from_env()
    check_landing(settings.landing_dir)
    settings.check_writable()
    if args.command == "rekey":
        dropped = prepare_rekey(settings, drop_erasures=args.drop_erasures)
        print(f"re-keying {settings.warehouse}: {dropped} tables emptied; every landing day is loaded "
              "again and identity rebuilt under the new salt")
    else:
        check_warehouse_file(settings.warehouse, settings.phone_salt)
    first = parse_day(getattr(args, "first", None), "--from")
    last = parse_day(getattr(args, "last", None), "--to")
    if first and last and first > last:
        raise ConfigError(f"--from {first} is after --to {last}")
    return run_night(settings, first=first, last=last,
                     full_refresh=args.command == "rekey" or getattr(args, "full_refresh", False))


def parse_day(text: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date: YYYY-MM-DD, a business date") from None


def quality_of_a_stopped_night(settings: Settings) -> None:
    """The published copy's quality summary follows tonight's checks even when the marts stay
    yesterday's, so the dashboard shows what blocked (orchestration/publish_quality.py)."""
    import duckdb

    from orchestration.publish_quality import refresh_published_quality

    try:
        refresh_published_quality(settings.warehouse, settings.published)
    except (duckdb.Error, OSError) as exc:  # never in the way of saying why the night stopped
        print(f"(the published copy's quality summary was not refreshed: {exc})", file=sys.stderr)


def run_night(settings: Settings, ui: str = "siyu ui", **window) -> int:
    from orchestration.artefacts import retain_days

    atexit.unregister(_quick_exit)
    atexit.register(_quick_exit)  # once the night is over (registered once, however many nights)
    from orchestration.pipeline import run_pipeline
    from orchestration.progress import run_log
    from orchestration.summary import print_night, print_stopped, print_summary

    settings.export()
    dagster_home(settings)
    retain_days()  # a bad SIYU_RETAIN_RUNS_DAYS stops here, not after the night
    with run_log(settings.warehouse.parent) as log:  # every dbt and Dagster line there, a line a step here
        night = run_pipeline(settings, **window)
    print_night(night)
    if not night:
        quality_of_a_stopped_night(settings)
        print_stopped(settings)
    print_summary(settings, ui, log)
    return 0 if night else 1


# A night's process ends with dagster, dbt's manifest, pymc and GX in memory, and Python's last garbage
# collection walked all of it: 4-6 s between the summary and the prompt (measured on the demo night).
# gc.freeze at exit moves it out of the collector's reach; objects are still released as Python
# clears its modules, files and connections are closed by then (every one in a `with`), and stdout
# and stderr are flushed as always.
_quick_exit = gc.freeze


def check_landing(landing_dir: Path) -> None:
    """Refuse a landing folder with nothing to load, saying what is wrong with it."""
    from ingestion.landing.layout import why_unloadable

    problem = why_unloadable(landing_dir)
    if problem:
        raise ConfigError(f"{problem}\nThe landing layout and every source's files: {SOURCES_DOC}")
