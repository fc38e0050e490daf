"""Spark's own Thrift server (HiveServer2) on this machine, for trying SIYU_ENGINE=spark_thrift
without a cluster (tests/engines/test_spark_thrift_night.py; docs/spark_cluster.md).

    python -m engines.thrift_server SPARK_DIR [--port 10000]    # until Ctrl-C

It is started from pyspark's own jars with what a cluster's server must be given (the profile's
`spark_thrift` output cannot set them: they are the server's): UTC sessions, Parquet instants as
TIMESTAMP_MICROS, its warehouse in SPARK_DIR/warehouse — the folder `siyu run` shares with it —
and its metastore, logs and scratch in SPARK_DIR too.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READY = "Starting ThriftBinaryCLIService"


def command(spark_dir: Path, port: int, memory: str = "2g") -> list[str]:
    """spark-submit starting HiveThriftServer2 on 127.0.0.1:`port` with the settings above."""
    import pyspark

    home = Path(pyspark.__file__).parent
    confs = {
        "spark.sql.warehouse.dir": spark_dir / "warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL":
            f"jdbc:derby:;databaseName={spark_dir / 'metastore_db'};create=true",
        "spark.driver.extraJavaOptions":
            f"-Dderby.system.home={spark_dir} -Dderby.stream.error.file={spark_dir / 'derby.log'}",
        "spark.local.dir": spark_dir / "scratch",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.shuffle.partitions": 4,
        "spark.driver.memory": memory,
        "spark.ui.enabled": "false",
    }
    hive = {"hive.server2.thrift.port": port, "hive.server2.thrift.bind.host": "127.0.0.1"}
    return [str(home / "bin" / "spark-submit"), "--class",
            "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2", "--name", "siyu-spark-thrift",
            *[a for k, v in confs.items() for a in ("--conf", f"{k}={v}")],
            *[a for k, v in hive.items() for a in ("--hiveconf", f"{k}={v}")], "spark-internal"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(spark_dir: Path, port: int | None = None, timeout_s: float = 300) -> Iterator[int]:
    """A server over `spark_dir` for the block; yields its port. Its log: `spark_dir`/server.log."""
    spark_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = spark_dir / "server.log"
    with log.open("w") as out:
        # its own process group: spark-submit starts the JVM as a child, and both must stop
        server = subprocess.Popen(command(spark_dir, port), cwd=spark_dir, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout_s
        while READY not in log.read_text(errors="replace"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Thrift server did not start: {log}")
            time.sleep(1)
        while True:  # the service is listening a moment after it says so
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the Thrift server does not answer on {port}: {log}") from None
                time.sleep(1)
        yield port
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spark_dir", type=Path, help="the folder shared with `siyu run` (SIYU_SPARK_DIR)")
    parser.add_argument("--port", type=int, default=10000)
    args = parser.parse_args(argv)
    # a TERM (a script's `kill`) ends the block as Ctrl-C does, so the server stops with this process
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with running(args.spark_dir.resolve(), args.port) as port:
        print(f"Spark Thrift server on 127.0.0.1:{port} over {args.spark_dir} (Ctrl-C stops it)", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
