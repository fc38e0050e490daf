"""Files outside <source>/<entity>/<YYYY-MM-DD>/: quarantined once per file, so nothing landed
goes unnoticed even when no contract can read it."""

from __future__ import annotations

from ingestion import contracts
from ingestion.landing.layout import Landing, parse_day
from ingestion.write.rawdb import QUARANTINE, SCHEMA, ensure_raw_schema, insert_quarantine

FOLDER_REASONS = ("unknown_folder", "bad_folder_date", "symlink")


def _stray_detail(parts: list[str], reason: str) -> str:
    if reason == "symlink":
        return "a symbolic link: links are not followed, so nothing outside the landing folder is read"
    if reason == "bad_folder_date":
        if len(parts) > 3:
            return f"day folder '{parts[2]}' is not a YYYY-MM-DD date"
        return "not inside a <YYYY-MM-DD> day folder"
    if len(parts) > 4 and (parts[0], parts[1]) in contracts.CONTRACTS:
        return "inside a sub-folder of a day folder; only the day folder's own files are read"
    if len(parts) > 2:
        return f"no contract declares {parts[0]}/{parts[1]}"
    return "not in a <source>/<entity>/<YYYY-MM-DD>/ folder"


def record_unknown_files(con, landing: Landing) -> int:
    """Quarantine, once per file, what lies outside <source>/<entity>/<YYYY-MM-DD>/, replacing the
    previous record of such files. Returns the number of files."""
    ensure_raw_schema(con)
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {SCHEMA}.{QUARANTINE} where reason in {FOLDER_REASONS}")
        for s in landing.stray_files:
            parts = s.rel.split("/")
            day = parse_day(parts[2]) if len(parts) > 3 else None
            insert_quarantine(
                con, s.source, s.entity, day, s.rel, [(None, s.reason, _stray_detail(parts, s.reason), None)]
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return len(landing.stray_files)
