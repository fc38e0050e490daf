"""`siyu`: simulate a brand, run the pipeline, open the UI, summarise the marts."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from orchestration.care import cmd_accept, cmd_forget, cmd_retain
from orchestration.receive_cmd import cmd_receive
from orchestration.run_cmd import check_landing, cmd_run, dagster_home, run_night
from orchestration.settings import (
    DBT_PROJECT_DIR,
    ConfigError,
    Settings,
    load_env_file,
    quiet_telemetry,
)


def _use_demo() -> Settings:
    """Point every setting at the demo's folder, overriding the environment and .env: a brand's
    SIYU_LANDING_DIR, warehouse, Dagster home and Data Docs are never the demo's to write."""
    settings = Settings.demo()
    settings.export()
    root = settings.warehouse.parent
    os.environ["DAGSTER_HOME"] = str(root / "dagster")
    os.environ["SIYU_QUALITY_DOCS"] = str(root / "quality_docs")
    return settings


def cmd_simulate(args: argparse.Namespace) -> int:
    from orchestration.progress import console_progress
    from simulator import ForeignFolder, simulate

    out = Path(args.out).resolve()
    try:
        with console_progress("simulating") as progress:
            summary = simulate(out, customers=args.customers, days=args.days, seed=args.seed,
                               end_date=date.fromisoformat(args.end_date), progress=progress)
    except ForeignFolder as exc:
        raise ConfigError(str(exc)) from None
    print(f"landing data written to {out} ({summary.get('files', '?')} files)")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from orchestration.salt import SaltMismatch, check_warehouse_file

    settings = _use_demo()
    settings.check_writable()  # before minutes of simulating
    try:
        check_warehouse_file(settings.warehouse, settings.phone_salt)
    except SaltMismatch:
        raise ConfigError(f"{settings.warehouse} was built with another salt than the demo's, so it is not "
                          "the demo's: move it away (or delete it) and run again") from None
    args.out = str(settings.landing_dir)
    cmd_simulate(args)
    check_landing(settings.landing_dir)
    code = run_night(settings, ui="siyu ui --demo")
    print(f"Everything the demo wrote is under {settings.warehouse.parent}")
    return code


def cmd_ui(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.salt import check_warehouse_file

    if args.demo:
        settings = _use_demo()
    else:
        try:
            settings = Settings.from_env()
        except ConfigError as exc:
            raise ConfigError(f"{exc}. (The demo's warehouse: `siyu ui --demo`)") from None
        settings.export()
    try:
        check_warehouse_file(settings.warehouse, settings.phone_salt)
    except duckdb.IOException:
        pass  # a run holds it; each run checks the salt at its first step anyway
    dagster_home(settings)
    from orchestration.dbtparse import parse_dbt_project
    from orchestration.serve import commands, supervise

    parse_dbt_project()  # the definitions read dbt's manifest when the code server loads them
    print(f"Dagster UI on http://127.0.0.1:{args.port} (schedule and sensor stopped until turned on)",
          file=sys.stderr)
    return supervise(commands("127.0.0.1", args.port, module="orchestration.definitions"),
                     cwd=DBT_PROJECT_DIR.parent)


def cmd_serve(args: argparse.Namespace) -> int:
    """Production: the webserver and the daemon, the schedule and the sensor running (serve.py)."""
    from orchestration.salt import check_warehouse_file
    from orchestration.serve import commands, supervise

    settings = Settings.from_env()  # a real salt: the demo's public one is refused outside var/demo
    settings.check_writable()
    check_warehouse_file(settings.warehouse, settings.phone_salt)
    settings.export()
    home = dagster_home(settings)
    from orchestration.dbtparse import parse_dbt_project

    parse_dbt_project()  # after an upgrade too: the definitions read dbt's manifest at load
    print(f"Dagster home {home}; UI on http://{args.host}:{args.port}; schedule 02:00 Beijing and the "
          "landing sensor running", file=sys.stderr)
    return supervise(commands(args.host, args.port), cwd=DBT_PROJECT_DIR.parent)


def cmd_doctor(args: argparse.Namespace) -> int:
    from quality.doctor import run

    settings = Settings.demo() if args.demo else Settings.from_env(require_salt=False)
    return run(settings.warehouse, settings.warehouse.parent / "logs" / "dbt")


def cmd_dashboard(args: argparse.Namespace) -> int:
    """The operators' dashboard (Streamlit) over the published copy, never the warehouse it is
    published from (README, "The operators' dashboard"). This process becomes Streamlit's server
    (exec), so a service manager's SIGTERM or Ctrl-C reaches the server itself."""
    from dashboard.serve import command, streamlit_installed

    settings = Settings.demo() if args.demo else Settings.from_env(require_salt=False)
    if not settings.published.is_file():
        hint = "`make demo` first" if args.demo else "`siyu run` first (the demo's: `siyu dashboard --demo`)"
        raise ConfigError(f"no published copy at {settings.published} yet: run {hint}")
    if not streamlit_installed():
        raise ConfigError("the dashboard needs Streamlit: pip install -e '.[dashboard]'")
    argv, env = command(settings.published, args.port, args.host)
    print(f"Siyu dashboard on http://{args.host}:{args.port} over {settings.published} (Ctrl-C stops it)",
          file=sys.stderr)
    sys.stderr.flush()  # exec replaces the process: what is buffered would be lost
    os.execve(argv[0], argv, env)


def cmd_export_guides(args: argparse.Namespace) -> int:
    from orchestration.export_guides import cmd_export_guides as export  # openpyxl: only when exporting

    return export(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="siyu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def sim_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--customers", type=int, default=2000)
        p.add_argument("--days", type=int, default=60)
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--end-date", default="2026-10-31", help="last business date simulated")

    p = sub.add_parser("simulate", help="write a fictional brand's landing data (and _truth/)")
    sim_args(p)
    p.add_argument("--out", required=True, help="landing folder to write")
    p.set_defaults(func=cmd_simulate)
    p = sub.add_parser("run", help="load the new and changed day folders of $SIYU_LANDING_DIR into "
                       "$SIYU_WAREHOUSE, rebuild the marts and publish them")
    p.add_argument("--full-refresh", action="store_true", help="load every landing day folder again")
    p.add_argument("--from", dest="first", metavar="YYYY-MM-DD",
                   help="load every day folder from this business date on (changed or not), no other")
    p.add_argument("--to", dest="last", metavar="YYYY-MM-DD",
                   help="load every day folder up to this business date (changed or not), no other")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("rekey", help="rebuild every phone hash under a new $SIYU_PHONE_SALT: reload every "
                       "landing day and rebuild identity from scratch")
    p.add_argument("--drop-erasures", action="store_true",
                   help="go ahead although people were erased: their requests must be run again with "
                   "`siyu forget --file` after the re-key")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("demo", help="simulate a brand, run everything, print a summary; all in var/demo/")
    sim_args(p)
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("ui", help="the Dagster web UI over the same definitions")
    p.add_argument("--port", type=int, default=3000)
    p.add_argument("--demo", action="store_true", help="over the demo's var/demo/ and its public salt")
    p.set_defaults(func=cmd_ui)
    p = sub.add_parser("serve", help="production: Dagster's webserver and daemon, the nightly schedule "
                       "and the landing sensor running (README, Running in production)")
    p.add_argument("--host", default="127.0.0.1", help="the UI's address (default: this machine only)")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("receive", help="serve the WeCom and Official Account callback URLs and append each "
                       "event to today's landing folder (README, Receiving callbacks)")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: this machine "
                   "only, behind the HTTPS reverse proxy)")
    p.add_argument("--port", type=int, default=8080)
    p.set_defaults(func=cmd_receive)
    p = sub.add_parser("doctor", help="summarise the latest run's checks; exit 1 if a blocking one failed")
    p.add_argument("--demo", action="store_true", help="the demo's warehouse (var/demo/)")
    p.set_defaults(func=cmd_doctor)
    p = sub.add_parser("dashboard", help="the operators' dashboard over the published copy: assets, guides, "
                       "funnel, RFM, channels, retention, fission, data quality (README)")
    p.add_argument("--demo", action="store_true", help="over the demo's published copy (var/demo/)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="127.0.0.1", help="the address to serve on (default: this machine only)")
    p.set_defaults(func=cmd_dashboard)
    p = sub.add_parser("accept", help="confirm that a blocking volume/amounts/duplicate_file failure is real")
    p.add_argument("table", help="<source>/<entity>, e.g. youzan/trade")
    p.add_argument("check", help="volume, amounts or duplicate_file")
    p.add_argument("date", help="the business date that failed, YYYY-MM-DD")
    p.add_argument("--note", required=True, help="why it is real (a store closed, …): kept with the result")
    p.set_defaults(func=cmd_accept)
    p = sub.add_parser("retain", help="delete raw history and loaded landing folders past their retention "
                       "($SIYU_RETAIN_RAW_DAYS, $SIYU_RETAIN_LANDING_DAYS); a dry run unless --apply")
    p.add_argument("--apply", action="store_true", help="delete; without it, only print what would go")
    p.set_defaults(func=cmd_retain)
    from ingestion.erasure.id_columns import aliases

    p = sub.add_parser("forget", help="erase a person on request (PIPL): suppress their identifiers, delete "
                       "their data everywhere, rebuild; exit 2 on bad input, nothing changed")
    p.add_argument("id_type", nargs="?", help=f"the identifier's type: {', '.join(sorted(aliases()))} "
                   "(openid: the OA's and the mini program's)")
    p.add_argument("value", nargs="?", help="the identifier as the platform gives it (a phone as the number)")
    p.add_argument("--file", help="a CSV of many requests, lines `id_type,value` (header optional)")
    p.set_defaults(func=cmd_forget)
    exports = sub.add_parser("export", help="files for people who work from the marts").add_subparsers(
        dest="export", required=True)
    p = exports.add_parser("guides", help="each guide's task list for a day (whom to contact and why), "
                           "an .xlsx and a UTF-8 .csv per guide; exit 2 on bad input, nothing written")
    p.add_argument("--day", required=True, metavar="YYYY-MM-DD", help="the warehouse's latest loaded day")
    p.add_argument("--out", required=True, help="folder to write into (made if missing)")
    p.add_argument("--guide", metavar="USERID", help="only this guide's list")
    p.add_argument("--demo", action="store_true", help="the demo's warehouse (var/demo/)")
    p.set_defaults(func=cmd_export_guides)
    from orchestration.pull_cmd import add_parser as add_pull

    add_pull(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    load_env_file()
    quiet_telemetry()
    # dbt and dagster are console scripts beside this interpreter; subprocesses (dagster dev's code
    # server preparing the dbt manifest, dagster-dbt) find them on PATH even without an activated venv.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"siyu: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
