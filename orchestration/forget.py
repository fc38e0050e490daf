"""`siyu forget`: erase a person on request (PIPL) and keep them out of later deliveries.

1. The identifiers given (`<id_type> <value>`, or a CSV of many) are read as the loader stores them
   (a phone normalised and keyed-hashed, ingestion/erasure/suppression.stored_value); a bad id type, file or
   phone stops everything before any change (exit 2).
2. The person is the customer an identifier resolves to, with every identifier they hold (an
   identifier in no customer is erased alone); each one gets a keyed entry in `raw._suppressed`.
3. Their raw and quarantined rows, identity rows and quality values go (orchestration/forget_erase.py),
   then the normal pipeline rebuilds everything downstream and the published copy; the loader drops
   their records from every landing file it reads again.
4. Dagster's stored runs and the Data Docs are cleaned, every store is searched for the values and
   hashes, and a report with keyed hashes and counts only is written beside the warehouse
   (orchestration/forget_scan.py). Landing files still holding the person are listed, not edited.
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.erasure.id_columns import PHONE, aliases
from ingestion.erasure.suppression import entry, stored_value, suppression_key
from ingestion.landing.changes import rebuild_requests, request_rebuild
from ingestion.normalise.phones import normalise_phone
from orchestration.forget_erase import erase, resolve_person
from orchestration.forget_scan import clean_dagster, delete_exports, files_holding, redact_docs, scan
from orchestration.settings import ConfigError, Settings
from quality.validate import docs_dir

REPORTS = "forget_reports"  # beside the warehouse


def id_type_help() -> str:
    names = sorted(aliases())
    return "one of " + ", ".join(names) + " (`openid` names both the OA and the mini program openid)"


def read_requests(id_type: str | None, value: str | None, file: str | None) -> list[tuple[str, str]]:
    """(alias, value) pairs from the command line or a CSV `id_type,value` (a header line is allowed)."""
    if file:
        try:
            with open(file, encoding="utf-8-sig", newline="") as f:
                lines = [r for r in csv.reader(f) if any(c.strip() for c in r)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise ConfigError(f"cannot read {file}: {exc.__class__.__name__}") from None
        if lines and [c.strip().lower() for c in lines[0]] == ["id_type", "value"]:
            lines = lines[1:]
        bad = [i for i, r in enumerate(lines, 1) if len(r) != 2]
        if bad or not lines:
            raise ConfigError(
                f"{file}: expected lines `id_type,value`" + (f" (line {bad[0]})" if bad else "")
            )
        return [(t.strip().lower(), v) for t, v in lines]
    if not id_type or value is None:
        raise ConfigError("give <id_type> <value>, or --file F")
    return [(id_type.strip().lower(), value)]


def stored_identifiers(requests: list[tuple[str, str]], salt: bytes) -> list[tuple[str, str]]:
    """(id type, stored value) of each request; ConfigError naming the request (not its value)."""
    known = aliases()
    out = []
    for n, (alias, value) in enumerate(requests, 1):
        where = f"request {n}" if len(requests) > 1 else "the value"
        if alias not in known:
            raise ConfigError(f"unknown id type {alias!r}: {id_type_help()}")
        for id_type in known[alias]:
            try:
                out.append((id_type, stored_value(id_type, value, salt)))
            except ValueError as exc:
                raise ConfigError(f"{where} ({alias}): {exc}") from None
    return sorted(set(out))


def needles(requests: list[tuple[str, str]], ids: dict[str, set[str]], customers: set[str]) -> list[str]:
    """What a store must no longer hold: every identifier as stored, the values as given (a phone
    also as its 11 digits and E.164), the customer ids."""
    out = {v for vs in ids.values() for v in vs} | set(customers)
    for alias, value in requests:
        text = value.strip()
        if PHONE in aliases().get(alias, ()):
            r = normalise_phone(text)
            out |= {r.e164, r.e164[3:]} if r.e164 else set()
        else:
            out.add(text)
    return sorted(v for v in out if v)


def forget(settings: Settings, requests: list[tuple[str, str]], rebuild: Callable[[Settings], int]) -> int:
    """Erase, rebuild, clean, scan, report. 0 when done and nothing is found any more, 1 otherwise."""
    given = stored_identifiers(requests, settings.phone_salt)
    if not settings.warehouse.is_file():
        raise ConfigError(f"no warehouse at {settings.warehouse} (SIYU_WAREHOUSE): nothing to erase")
    request_id = uuid.uuid4().hex[:16]
    key = suppression_key(settings.phone_salt)
    with duckdb.connect(str(settings.warehouse)) as con:
        ids, customers = resolve_person(con, given)
        removed = erase(con, ids, customers, key, request_id)
        # an earlier rebuild that did not finish is finished now, whatever this request erased
        needed = erased_anything(removed) or bool(rebuild_requests(con))
        if needed:
            request_rebuild(con, "forget")  # nothing changed in the landing, yet every model must rebuild
        con.execute("checkpoint")
    values = needles(requests, ids, customers)
    stores = {"warehouse": settings.warehouse, "published": settings.published}
    if not needed and scan(stores, values):  # nothing erased now, yet a DuckDB file holds them
        with duckdb.connect(str(settings.warehouse)) as con:
            request_rebuild(con, "forget")
        needed = True
    if needed:
        code = rebuild(settings)
        rebuilt = "succeeded" if code == 0 else f"failed (exit {code}): run `siyu run` again"
    else:
        # asked again: every identifier already suppressed, nothing left to erase, no rebuild
        # pending, and neither DuckDB file holds them (the scan): a rebuild would change nothing
        code, rebuilt = 0, "not needed: nothing of the person was left to erase"
    docs = docs_dir()
    dagster_home = Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else None
    exports = settings.warehouse.parent / "exports"  # guides' task lists of earlier nights
    cleaned = {
        "data_docs_files_redacted": redact_docs(docs, values),
        "export_files_deleted": delete_exports(exports, values),
        "dagster_runs_deleted": clean_dagster(dagster_home, values) if dagster_home else 0,
    }
    stores = {**stores, "data_docs": docs, "exports": exports}
    if dagster_home:
        stores["dagster"] = dagster_home
    found = scan(stores, values)
    report = {
        "request_id": request_id,
        "requested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "identifiers_given": [entry(key, t, v) for t, v in given],
        "identifiers_suppressed": len(removed.pop("entries")),
        "suppression_entries_added": removed.pop("entries_added"),
        "identifiers_by_type": {t: len(v) for t, v in sorted(ids.items()) if v},
        "customers_removed": len(customers),
        **removed,
        **cleaned,
        "rebuild": rebuilt,
        "still_found": found,
        "landing_files_holding_the_person": files_holding(settings.landing_dir, values),
    }
    path = settings.warehouse.parent / REPORTS / f"{report['requested_at'][:10]}-{request_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print_report(report, path)
    return 0 if code == 0 and not found else 1


def erased_anything(removed: dict) -> bool:
    """Whether `erase` added a suppression entry or deleted or redacted anything of a person (the
    identity step's run state, reset every time so that its next run is a full one, is not theirs)."""
    identity = {k: v for k, v in removed["identity_rows"].items() if k != "run_state"}
    counts = [removed["entries_added"], removed["quarantine_rows"], removed["quality_cells_redacted"],
              *removed["raw_rows"].values(), *removed["list_items_removed"].values(), *identity.values()]
    return any(_total(c) for c in counts)


def _total(count) -> int:
    return sum(_total(c) for c in count.values()) if isinstance(count, dict) else int(count or 0)


def print_report(report: dict, path: Path) -> None:
    raw = report["raw_rows"]
    print(
        f"forget {report['request_id']}: {report['identifiers_suppressed']} identifiers suppressed "
        f"({report['suppression_entries_added']} new), {report['customers_removed']} customer(s) removed"
    )
    print(
        f"  raw rows deleted: {sum(raw.values())} ({', '.join(f'{t} {n}' for t, n in sorted(raw.items()))}); "
        f"quarantined records {report['quarantine_rows']}; "
        f"list items {sum(report['list_items_removed'].values())}"
    )
    print(
        f"  identity rows {sum(report['identity_rows'].values())}, quality values redacted "
        f"{report['quality_cells_redacted']}, Data Docs files {report['data_docs_files_redacted']}, "
        f"Dagster runs deleted {report['dagster_runs_deleted']}; rebuild {report['rebuild']}"
    )
    if report["still_found"]:
        print(f"  STILL FOUND in: {', '.join(report['still_found'])}")
    landing = report["landing_files_holding_the_person"]
    if landing:
        print(
            f"  {len(landing)} landing files still hold the person (forget does not edit them; their records "
            "are "
            f"dropped at every load): {', '.join(landing[:5])}{' …' if len(landing) > 5 else ''}"
        )
    print(f"  report: {path}")
