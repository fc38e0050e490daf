"""Both engines on one brand (issue 16, item 5): every seed and model of the dbt project built by
DuckDB and by local Spark over the same source tables, each timed, and every table compared.

    .venv/bin/python bench/engines.py                                    # 100,000 customers × 60 days
    .venv/bin/python bench/engines.py --customers 2000 --days 10 --out /tmp/engines-2000

1. The brand (not timed here: bench/simulate_1m.py and bench/cost_curve.py time these). Simulated
   once into <out>/landing (seed 7, ending 2026-10-31; a finished simulation there, or --landing,
   is reused), then one `siyu run` on DuckDB into <out>/night/: a night's whole pipeline (load, raw
   checks, dbt build, identity, CLV, publish), so the `identity` and `value` schemas the staging
   models read hold what a night writes. One `siyu run` rather than bench/marts_build.py's phases:
   those leave out the CLV step, whose `value` tables the CLV marts read. A night already there is
   reused (--rebuild to run it again; --prepare stops after it).
2. DuckDB: a copy of that warehouse; one process runs `dbt seed --full-refresh` and `dbt run
   --full-refresh` (every seed and model, no data tests, no unit tests), so the incremental models
   are built from all of raw, as Spark builds every model (a table from all of its inputs).
3. Spark, in a new <out>/spark: the hand-over as a night's Spark step makes it — the source tables
   to Parquet (engines/raw_parquet.py `sources`: raw as the partitioned layer, `identity` and
   `value` whole; in this process) — then one process, one Spark session (engines/spark.py's
   `main`, what `dbt_on_spark` runs): `declare_parquet_sources` (the session's start with it),
   `dbt seed`, `dbt run`. The Spark driver gets --spark-memory (SIYU_SPARK_DRIVER_MEMORY).
4. Every table of `seeds`, `staging`, `intermediate` and `marts` in DuckDB's copy against the
   Parquet files of Spark's table (engines/compare.py; `record_key`, a hash each engine computes its
   own way, and the identity pairs' run clocks `written_run` and `pairs_run`, left out below the
   marts, as tests/engines do).

Each timed process: wall seconds, CPU-seconds (user + system of the process and every descendant,
the JVM included: this process is their subreaper and reaps them all, wait4), the largest process's
peak RSS and the process tree's summed RSS (sampled every 0.5 s), and the 1-minute load average
before, during (mean, max) and after. Within a process each dbt command is timed too (CPU from
/proc: the process and its live descendants). Results: bench/results/engines-<N>c-<D>d.json.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
from measure import measured  # a sibling module: bench/ is on sys.path when run

from orchestration.settings import TELEMETRY_OFF

END = date(2026, 10, 31)
ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent
SCHEMAS = ("seeds", "staging", "intermediate", "marts")
# Hashes each engine computes its own way (int_identity__pairs, int_identity__nodes): they name the
# same records, which tests/engines/test_spark_intermediate.py checks apart (docs/engines.md); and
# the run each engine's identity pairs were written by
ENGINE_NAMED = ("record_key", "written_run", "pairs_run")
PR_SET_CHILD_SUBREAPER = 36
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(root: int) -> float:
    """CPU-seconds of `root` and its live descendants, with the children each has reaped (/proc)."""
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(entry)] = int(fields[1])
            times[int(entry)] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    tree, grown = {root}, {root}
    while grown:
        grown = {pid for pid, parent in parents.items() if parent in grown} - tree
        tree |= grown
    return sum(times.get(pid, 0) for pid in tree) / TICK


def run_commands(commands: list[list[str]], record: Path) -> None:
    """dbt `commands` one after another in this process (one Spark session on Spark), each one's
    wall and CPU-seconds appended to `record` as a JSON line."""
    from engines.spark import main as dbt

    for args in commands:
        started, cpu = time.perf_counter(), tree_cpu_s(os.getpid())
        dbt([args])
        with record.open("a") as out:
            out.write(json.dumps({"command": " ".join(args[:2]) if args[0] == "run-operation" else args[0],
                                  "wall_s": round(time.perf_counter() - started, 1),
                                  "cpu_s": round(tree_cpu_s(os.getpid()) - cpu, 1)}) + "\n")


def dbt_process(commands: list[list[str]], env: dict, folder: Path, name: str) -> dict:
    """The dbt `commands` in one process (bench/engines.py --commands), measured; each command's
    own figures under "commands", the slowest models (dbt's run_results) under "slowest_models"."""
    record = folder / f"{name}_commands.jsonl"
    record.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--commands", json.dumps(commands), str(record)]
    result = measured(cmd, env, folder / f"{name}.log")
    result["commands"] = [json.loads(line) for line in record.read_text().splitlines()]
    run_results = Path(env["DBT_TARGET_PATH"]) / "run_results.json"  # the last command's: `dbt run`
    timings = sorted(((r["execution_time"], r["unique_id"].split(".")[-1])
                      for r in json.loads(run_results.read_text())["results"]), reverse=True)
    result["models_s_summed"] = round(sum(s for s, _ in timings), 1)
    result["slowest_models"] = [[model, round(s, 1)] for s, model in timings[:8]]
    return result


def night(args, out: Path, env: dict) -> tuple[Path, dict]:
    """The brand's DuckDB warehouse after one `siyu run` over its landing (reused when there)."""
    landing = args.landing.resolve() if args.landing else out / "landing"
    if not (landing / "_truth" / "manifest.json").is_file():
        if args.landing:
            raise SystemExit(f"{landing}: not a finished simulation (no _truth/manifest.json)")
        from simulator import simulate

        print(f"simulating {args.customers:,} customers × {args.days} days into {landing}", flush=True)
        started = time.perf_counter()
        simulate(landing, customers=args.customers, days=args.days, seed=args.seed, end_date=END)
        print(f"  {time.perf_counter() - started:,.0f} s", flush=True)
    manifest = json.loads((landing / "_truth" / "manifest.json").read_text())
    folder = out / "night"
    warehouse = folder / "warehouse.duckdb"
    if args.rebuild or not (folder / "night.json").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "dagster").mkdir(parents=True)
        salt_file = out / "phone_salt"
        if not salt_file.is_file():
            salt_file.write_text(secrets.token_urlsafe(48))
        night_env = env | {"SIYU_LANDING_DIR": str(landing), "SIYU_WAREHOUSE": str(warehouse),
                           "SIYU_PUBLISHED": str(folder / "published.duckdb"),
                           "SIYU_PHONE_SALT": salt_file.read_text().strip(),
                           "DAGSTER_HOME": str(folder / "dagster"), "SIYU_ENGINE": "duckdb",
                           "DBT_TARGET_PATH": str(folder / "dbt_target"),
                           "DBT_LOG_PATH": str(folder / "dbt_logs")}
        print(f"siyu run over {landing} …", flush=True)
        result = measured([str(BIN / "siyu"), "run"], night_env, folder / "siyu_run.log")
        (folder / "night.json").write_text(json.dumps(result, indent=1) + "\n")
    result = json.loads((folder / "night.json").read_text())
    result["landing"], result["simulated_rows"] = str(landing), sum(manifest["rows_per_entity"].values())
    return warehouse, result


def duckdb_side(warehouse: Path, out: Path, env: dict) -> tuple[Path, dict]:
    folder = out / "duckdb"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy = folder / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    duck_env = env | {"SIYU_ENGINE": "duckdb", "SIYU_WAREHOUSE": str(copy),
                      "DBT_TARGET_PATH": str(folder / "dbt_target"), "DBT_LOG_PATH": str(folder / "dbt_logs")}
    print("DuckDB: dbt seed + dbt run (full refresh) …", flush=True)
    return copy, dbt_process([["seed", "--full-refresh"], ["run", "--full-refresh"]], duck_env, folder, "dbt")


def spark_side(warehouse: Path, out: Path, env: dict, memory: str) -> tuple[Path, dict]:
    from engines.raw_parquet import declare, sources

    folder = out / "spark"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # what engines/spark.py's dbt_on_spark gives its process, with this folder as Spark's
    spark_env = env | {"SIYU_ENGINE": "spark", "SIYU_WAREHOUSE": str(warehouse),
                       "SIYU_SPARK_DIR": str(folder), "SIYU_SPARK_DRIVER_MEMORY": memory,
                       "DBT_TARGET_PATH": str(folder / "dbt_target"),
                       "DBT_LOG_PATH": str(folder / "dbt_logs")}
    print("Spark: the hand-over (sources to Parquet) …", flush=True)
    load_before = os.getloadavg()[0]
    before, started = os.times(), time.perf_counter()
    exported, synced = sources(warehouse, folder / "sources")
    after = os.times()
    handover = {"wall_s": round(time.perf_counter() - started, 1),
                "cpu_s": round(after.user + after.system - before.user - before.system, 1),
                "tables": len(exported), "rows": sum(exported.values()),
                "raw_partitions_written": sum(synced.written.values()),
                "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}
    print("Spark: declare, dbt seed, dbt run in one session …", flush=True)
    commands = [declare(folder / "sources", list(exported), synced.partitioned()), ["seed"], ["run"]]
    result = dbt_process(commands, spark_env, folder, "dbt")
    result["sources"], result["driver_memory"] = handover, memory
    return folder / "warehouse", result


def compared(copy: Path, spark_tables: Path) -> dict:
    """Every table of DuckDB's copy against Spark's (engines/compare.py), schema by schema."""
    from engines.compare import compare

    print("comparing every table …", flush=True)
    started = time.perf_counter()
    found: dict[str, dict] = {}
    with duckdb.connect(str(copy), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for schema in SCHEMAS:
            names = [t for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1",
                [schema]).fetchall()]
            on_spark = sorted(p.name for p in (spark_tables / f"{schema}.db").glob("*") if p.is_dir())
            different, rows, equal = [], {}, 0
            for name in names:
                if name not in on_spark:
                    different.append(f"{schema}.{name}: not built on Spark")
                    continue
                ignore = () if schema == "marts" else ENGINE_NAMED
                comparison = compare(con, f"{schema}.{name}", spark_tables / f"{schema}.db" / name, ignore)
                rows[name] = comparison.rows[0]
                equal += comparison.equal
                if not comparison.equal:
                    different.append(str(comparison))
            different += [f"{schema}.{n}: only on Spark" for n in on_spark if n not in names]
            found[schema] = {"tables": len(names), "equal": equal, "rows": sum(rows.values()),
                             "differences": different}
            if schema == "marts":
                found[schema]["rows_per_table"] = rows
        raw = con.execute("select table_name from information_schema.tables where table_schema = 'raw' "
                          "and not starts_with(table_name, '_')").fetchall()
        found["raw_rows"] = sum(con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for (t,) in raw)
        found["customers"] = con.execute("select count(*) from marts.user_assets").fetchone()[0]
    found["seconds"] = round(time.perf_counter() - started, 1)
    return found


def summary(r: dict) -> str:
    d, s, c = r["duckdb"], r["spark"], r["comparison"]
    tables = sum(c[x]["tables"] for x in SCHEMAS)
    equal = sum(c[x]["equal"] for x in SCHEMAS)
    return (f"{r['customers']:,} customers × {r['days']} days ({c['raw_rows']:,} raw rows): "
            f"DuckDB {d['wall_s']:,.0f} s wall, {d['cpu_s']:,.0f} CPU-s, {d['peak_rss_largest_mb']:,} MB "
            f"(load {d['load_before']}→{d['load_during_mean']}); Spark {s['total_wall_s']:,.0f} s wall, "
            f"{s['total_cpu_s']:,.0f} CPU-s (hand-over {s['sources']['wall_s']:,.1f} s + session "
            f"{s['wall_s']:,.0f} s, of which declare {s['commands'][0]['wall_s']:,.1f} s), "
            f"{s['peak_rss_largest_mb']:,} MB (load {s['load_before']}→{s['load_during_mean']}); "
            f"Spark/DuckDB {r['ratio']['wall']}× wall, {r['ratio']['cpu']}× CPU; "
            f"{equal} of {tables} tables equal ({c['marts']['equal']} of {c['marts']['tables']} marts)")


def main() -> int:
    # run as a script, bench/ leads sys.path, where this file would stand in for the `engines` package
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    if sys.argv[1:2] == ["--commands"]:  # the dbt process dbt_process starts
        run_commands(json.loads(sys.argv[2]), Path(sys.argv[3]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="the brand's folder (default bench/out/engines-<N>c-<D>d)")
    ap.add_argument("--landing", type=Path, help="an existing simulated landing folder to use")
    ap.add_argument("--rebuild", action="store_true", help="run the brand's night again even if there")
    ap.add_argument("--prepare", action="store_true", help="the brand's night only (then stop)")
    ap.add_argument("--spark-memory", default="6g", help="Spark's driver memory (local: all of Spark)")
    ap.add_argument("--note", default="", help="kept with the result")
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    out = (args.out or RESULTS.parent / "out" / f"engines-{args.customers}c-{args.days}d").resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = os.environ | TELEMETRY_OFF
    result = {"customers": args.customers, "days": args.days, "seed": args.seed, "end_date": END.isoformat(),
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                       text=True, cwd=ROOT).stdout.strip(),
              "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
              "cores": os.cpu_count(), "memory_gib": round(os.sysconf("SC_PAGE_SIZE")
                                                         * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
              "duckdb_memory_limit": env.get("SIYU_DUCKDB_MEMORY_LIMIT", "60%"), "note": args.note}
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"engines-{args.customers}c-{args.days}d.json"

    def save() -> None:  # after each phase: a run stopped half way keeps what it measured
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")

    warehouse, result["night"] = night(args, out, env)
    if args.prepare:
        print(f"the brand's night: {warehouse} ({result['night']['wall_s']:,.0f} s)")
        return 0
    copy, result["duckdb"] = duckdb_side(warehouse, out, env)
    save()
    spark_tables, result["spark"] = spark_side(warehouse, out, env, args.spark_memory)
    spark = result["spark"]
    spark["total_wall_s"] = round(spark["sources"]["wall_s"] + spark["wall_s"], 1)
    spark["total_cpu_s"] = round(spark["sources"]["cpu_s"] + spark["cpu_s"], 1)
    duck = result["duckdb"]
    built = [sum(c[k] for c in side["commands"] if c["command"] in ("seed", "run")) for side in (spark, duck)
             for k in ("wall_s", "cpu_s")]
    result["ratio"] = {"wall": round(spark["total_wall_s"] / duck["wall_s"], 1),
                       "cpu": round(spark["total_cpu_s"] / duck["cpu_s"], 1),
                       # dbt seed + dbt run alone: no hand-over, no session or dbt start
                       "seed_run_wall": round(built[0] / built[2], 1),
                       "seed_run_cpu": round(built[1] / built[3], 1)}
    result["comparison"] = compared(copy, spark_tables)
    result["summary"] = summary(result)
    save()
    for schema in SCHEMAS:
        for difference in result["comparison"][schema]["differences"]:
            print(f"  different: {difference}")
    print(result["summary"])
    print(f"→ {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
