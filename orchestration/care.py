"""The `siyu` commands that act on the warehouse's data outside a night: `accept` a blocking check's
failure as real, `retain` (the retention rule) and `forget` (erasure on request). The parser is in
orchestration/cli.py, the night's commands in orchestration/run_cmd.py."""

from __future__ import annotations

import argparse
from datetime import date

from orchestration.settings import ConfigError, Settings


def cmd_accept(args: argparse.Namespace) -> int:
    import duckdb

    from ingestion.contracts import CONTRACTS
    from quality.accepted import accept

    source, _, entity = args.table.partition("/")
    if not any(c.source == source and c.entity == entity for c in CONTRACTS.values()):
        raise ConfigError(f"no source table {args.table!r}: give it as <source>/<entity>, e.g. youzan/trade")
    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        raise ConfigError(f"not a date: {args.date!r} (YYYY-MM-DD, the business date)") from None
    settings = Settings.from_env(require_salt=False)
    with duckdb.connect(str(settings.warehouse)) as con:
        try:
            accept(con, source, entity, args.check, day, args.note)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    print(f"accepted: {args.table} '{args.check}' on {day} ({args.note.strip()}); "
          "the next `siyu run` treats it as a warning")
    return 0


def cmd_retain(args: argparse.Namespace) -> int:
    """`siyu retain [--apply]`: the retention rule (orchestration/retention.py); a dry run by default."""
    import duckdb

    from orchestration.retention import Policy, retain

    policy = Policy.from_env()  # a bad setting stops here, before anything is read or deleted
    settings = Settings.from_env(require_salt=False)  # nothing is hashed
    if args.apply:
        settings.check_writable()
    con = None
    try:  # a dry run opens the warehouse read-only: it cannot change it
        if settings.warehouse.is_file():
            con = duckdb.connect(str(settings.warehouse), read_only=not args.apply)
    except duckdb.IOException as exc:
        raise ConfigError(f"SIYU_WAREHOUSE={settings.warehouse}: cannot open it ({exc})") from None
    try:
        report = retain(con, settings.landing_dir, policy, args.apply)
    finally:
        if con is not None:
            con.close()
    print("\n".join(report.lines()))
    if not args.apply:
        print("dry run: nothing was deleted (`siyu retain --apply` deletes it)")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """`siyu forget`: erase a person, rebuild with the normal pipeline (orchestration/forget.py)."""
    from orchestration.forget import forget, read_requests, stored_identifiers
    from orchestration.run_cmd import dagster_home, run_night  # the night's run, as `siyu run` makes it
    from orchestration.salt import check_warehouse_file

    requests = read_requests(args.id_type, args.value, args.file)
    settings = Settings.from_env()
    stored_identifiers(requests, settings.phone_salt)  # bad input: exit 2 before anything is touched
    settings.check_writable()
    check_warehouse_file(settings.warehouse, settings.phone_salt)
    settings.export()
    dagster_home(settings)
    return forget(settings, requests, run_night)
