#!/usr/bin/env bash
# The project's dbt models, unchanged, on a Spark *server* through dbt-spark's `thrift` method — what
# a cluster's Thrift server (HiveServer2: EMR, an on-premises Spark) gives — and the marts compared
# with the DuckDB pipeline's (docs/spark_cluster.md). The server here is Spark's own
# HiveThriftServer2 from pyspark's jars on this machine; on a cluster only the profile differs.
#
#   .venv/bin/pip install -e '.[dev,cluster]'     # the spark extra and PyHive (thrift's client)
#   bench/spark_thrift.sh [WORK_DIR]              # default var/spark-thrift; ~10 min on 2 cores
#
# Steps: a 300-customer, 10-day simulated brand through `siyu run` on DuckDB; its source tables
# exported to Parquet (engines/raw_parquet.py); a Thrift server started on 127.0.0.1:10000 with the
# session profile's settings; `dbt run-operation declare_parquet_sources`, `dbt seed` and `dbt build`
# (every model and data test) over thrift; the marts written back to Parquet and compared with
# DuckDB's (engines/compare.py). Everything it writes is under WORK_DIR, which must be new or one
# this script made.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); BIN=$ROOT/.venv/bin
WORK=$(realpath -m "${1:-$ROOT/var/spark-thrift}")
if [ -e "$WORK" ] && [ ! -f "$WORK/.spark-thrift" ]; then
    echo "$WORK exists and was not made by this script: choose another folder" >&2; exit 2
fi
"$BIN/python" -c "import pyhive" 2>/dev/null || { echo "install the cluster extra: pip install -e '.[cluster]'" >&2; exit 2; }
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=False GX_ANALYTICS_ENABLED=False
rm -rf "$WORK"; mkdir -p "$WORK/spark" "$WORK/dagster"; touch "$WORK/.spark-thrift"

echo "DuckDB: simulate and run the brand"
export SIYU_LANDING_DIR=$WORK/landing SIYU_WAREHOUSE=$WORK/warehouse.duckdb DAGSTER_HOME=$WORK/dagster
SIYU_PHONE_SALT=$("$BIN/python" -c "import secrets; print(secrets.token_hex(32))"); export SIYU_PHONE_SALT
"$BIN/siyu" simulate --customers 300 --days 10 --seed 11 --out "$SIYU_LANDING_DIR" > /dev/null
"$BIN/siyu" run > "$WORK/duckdb_run.log" 2>&1
"$BIN/python" -c "
from pathlib import Path; from engines.raw_parquet import export
c = export(Path('$SIYU_WAREHOUSE'), Path('$WORK/parquet')); print(len(c), 'source tables,', sum(c.values()), 'rows')"

echo "Spark: a Thrift server on 127.0.0.1:10000"
# engines/thrift_server.py: Spark's own server with what a cluster's must be given (UTC sessions,
# TIMESTAMP_MICROS, its warehouse in $WORK/spark/warehouse); it stops when this script ends
"$BIN/python" -m engines.thrift_server "$WORK/spark" --port 10000 > "$WORK/spark/server.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q "Spark Thrift server on" "$WORK/spark/server.out" && break
    kill -0 $SERVER 2>/dev/null || break; sleep 1; done
grep -q "Spark Thrift server on" "$WORK/spark/server.out" || { echo "the server did not start: $WORK/spark/server.log" >&2; exit 1; }

# The profile a cluster's Thrift server takes: this output is all that differs from local Spark
cat > "$WORK/profiles.yml" <<YML
siyu:
  target: thrift
  outputs:
    thrift:
      type: spark
      method: thrift
      host: 127.0.0.1
      port: 10000
      schema: main
      threads: 4
      connect_retries: 3
YML
export DBT_TARGET_PATH=$WORK/dbt_target DBT_LOG_PATH=$WORK/dbt_logs
DBT=("$BIN/dbt" --no-use-colors)
cd "$ROOT/dbt_project"
started=$(date +%s)
"${DBT[@]}" run-operation declare_parquet_sources --args "{folder: '$WORK/parquet'}" --profiles-dir "$WORK" -q
"${DBT[@]}" seed --profiles-dir "$WORK" -q
"${DBT[@]}" build --exclude-resource-type unit_test --profiles-dir "$WORK" > "$WORK/build.log" 2>&1 \
    || { tail -20 "$WORK/build.log"; exit 1; }
grep -E "Done\. PASS" "$WORK/build.log"
echo "dbt over thrift: $(( $(date +%s) - started )) s"
"${DBT[@]}" run-operation write_models_parquet --args "{schema: marts, folder: '$WORK/marts'}" --profiles-dir "$WORK" -q
"$BIN/python" - <<PY
from pathlib import Path
import duckdb
from engines.compare import compare
con = duckdb.connect("$SIYU_WAREHOUSE", read_only=True)
tables = [t for (t,) in con.execute(
    "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
results = [compare(con, f"marts.{t}", Path("$WORK/marts") / t) for t in tables]
print(f"{sum(r.equal for r in results)} of {len(results)} marts equal to DuckDB's")
for r in results:
    if not r.equal:
        print(r)
raise SystemExit(0 if all(r.equal for r in results) else 1)
PY
