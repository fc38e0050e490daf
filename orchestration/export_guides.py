"""Task lists for guides: per guide, whom to contact and why, as an .xlsx and a .csv file.

The rows are dbt's intermediate.int_guides__tasks (the rules are in its SQL): they name a customer by
the WeCom external_userid of the guide's friendship — how the guide finds the contact in WeCom —
and by display fields that identify no one (customer id, segment, stage, dates), never a phone,
name or remark. That model is outside schema `marts`, so the published copy never holds the ids.

Every cell goes through the published copy's neutraliser (orchestration.publish.FORMULA_START):
text a spreadsheet would run as a formula (`=HYPERLINK(…)` from a crafted id) starts with `'`.
The CSV is UTF-8 with a BOM, which Excel needs to read Chinese as such rather than as GBK.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from datetime import date
from pathlib import Path

import duckdb
import xlsxwriter

from orchestration.publish import FORMULA_START
from orchestration.worker import Worker, workers_wanted

TASKS = "intermediate.int_guides__tasks"
BOUNDS = "intermediate.int_calendar__bounds"
EMPLOYEES = "staging.stg_org__employees"
# (column of int_guides__tasks, header as guides read it), in the files' order
COLUMNS = [
    ("reason_cn", "原因 reason"),
    ("due_date", "截止日期 due date"),
    ("moment_type", "关怀节点 care moment"),
    ("external_userid", "企微客户 external_userid"),
    ("customer_id", "客户ID customer_id"),
    ("rfm_segment_cn", "RFM分层 segment"),
    ("lifecycle_stage", "生命周期 lifecycle stage"),
    ("last_purchase_date", "最近购买 last purchase"),
    ("friend_since_date", "加好友 friend since"),
    ("reason", "reason code"),
]
# A WeCom userid is 1–64 letters, digits and _ - @ . (a mobile-number userid is stored as a 64-hex
# keyed hash): used as the file name as it is; anything else is made safe and told apart by a hash.
SAFE_USERID = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9_.@-]{0,63}")
FORMULA = re.compile(FORMULA_START)
# Nightly folders kept under <warehouse folder>/exports/guides/: each holds external_userids, which
# `siyu forget` does not reach in files, so a week's lists stay (a manager looks back) and no more.
KEEP_NIGHTS = 7
# Writing the files is Python: ~11 µs a cell and ~8 ms a workbook with xlsxwriter (8.2 s for 72,043
# tasks of 535 guides at 250,000 customers, the CSV files 0.3 s of it). From SHARED_FROM tasks a
# second process writes about half of them (write_lists); below, its start (~0.2 s) would cost more
# than it saves. A workbook's fixed cost is about WORKBOOK_ROWS rows' worth.
SHARED_FROM = 10_000
WORKBOOK_ROWS = 70
Written = list[tuple[str, int, Path, Path]]  # (guide userid, tasks, .xlsx, .csv) per guide


class ExportRefused(ValueError):
    """The export cannot be made as asked; nothing was written. The message says why."""


def neutralise(value) -> object:
    """A cell as written: text that starts like a formula gets a leading apostrophe (as published)."""
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def file_stem(userid: str, day: date) -> str:
    if SAFE_USERID.fullmatch(userid):
        name = userid
    else:
        digest = hashlib.sha256(userid.encode()).hexdigest()[:8]
        name = f"{re.sub(r'[^A-Za-z0-9_@-]', '_', userid)[:48]}-{digest}"
    return f"{name}_{day.isoformat()}"


def loaded_range(con: duckdb.DuckDBPyConnection) -> tuple[date, date]:
    try:
        first, last = con.execute(f"select first_date, last_date from {BOUNDS}").fetchone()
        con.execute(f"select 1 from {TASKS} limit 0")
    except duckdb.CatalogException:
        raise ExportRefused("the warehouse has no task lists yet: run `siyu run` first") from None
    if last is None:
        raise ExportRefused("the warehouse has no loaded day yet: run `siyu run` first")
    return first, last


def task_lists(con: duckdb.DuckDBPyConnection, day: date, guide: str | None = None) -> dict[str, list]:
    """{guide userid: rows in COLUMNS order} for `day`: every active guide of org/employee and every
    other employee with a task (an empty list is still a file: nothing to do today), or `guide` only."""
    first, last = loaded_range(con)
    if not first <= day <= last:
        raise ExportRefused(f"--day {day} is outside the warehouse's loaded days, {first} to {last}")
    if day != last:
        raise ExportRefused(
            f"--day {day}: the warehouse holds the task lists as of its latest loaded day, {last}, "
            "only (like user_assets); the lists of earlier nights are the files they wrote, under "
            "<warehouse folder>/exports/guides/<day>/"
        )
    try:
        active = con.execute(f"select userid from {EMPLOYEES} where role = 'guide' and is_active")
        guides = {userid for (userid,) in active.fetchall()}
    except duckdb.CatalogException:  # no org/employee list delivered yet: the guides with tasks
        guides = set()
    select = ", ".join(column for column, _ in COLUMNS)
    rows = con.execute(
        f"select userid, {select} from {TASKS} where as_of_date = ? "
        "order by userid, priority, due_date nulls last, customer_id, moment_type",
        [day],
    ).fetchall()
    lists: dict[str, list] = {userid: [] for userid in guides}
    for userid, *row in rows:
        lists.setdefault(userid, []).append(row)
    if guide is not None:
        if guide not in lists:
            raise ExportRefused(f"--guide {guide!r} is no active guide of org/employee and has no task")
        lists = {guide: lists[guide]}
    return lists


def _write_csv(path: Path, rows: list) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        for row in [[header for _, header in COLUMNS], *rows]:
            out.writerow(["" if v is None else neutralise(str(v)) for v in row])


WIDTHS = (16, 12, 22, 34, 20, 14, 16, 14, 12, 20)  # characters, per column of COLUMNS


def _write_xlsx(path: Path, rows: list) -> None:
    """Every text cell written as a string (never a formula, URL or number, whatever it reads like),
    dates as dates; the header frozen and filterable. Streamed (constant_memory): rows go to the
    file as they are written."""
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    try:
        sheet = book.add_worksheet("tasks")
        day_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for column, (_, header) in enumerate(COLUMNS):
            sheet.write_string(0, column, header)
            sheet.set_column(column, column, WIDTHS[column])
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(number, column, value, day_format)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, neutralise(str(value)))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    finally:
        book.close()


def write_lists(lists: dict[str, list], day: date, out_dir: Path) -> Written:
    """One .xlsx and one .csv per guide into `out_dir` (made if missing); each file is written
    beside its name and renamed into place, so a reader never opens half a file. With many tasks
    and more than one core, a second process writes about half of the guides' files (shares)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if sum(len(rows) for rows in lists.values()) < SHARED_FROM or not workers_wanted():
        return write_share(lists, day, out_dir)
    mine, theirs = shares(lists)
    helper = Worker([__name__])
    try:
        helper.send(f"{__name__}:write_share", {userid: lists[userid] for userid in theirs}, day, out_dir)
        written = write_share({userid: lists[userid] for userid in mine}, day, out_dir)
        written += helper.result()
    finally:
        helper.close()  # stopped if this process's share failed first
    return sorted(written, key=lambda guide: guide[0])


def write_share(lists: dict[str, list], day: date, out_dir: Path) -> Written:
    """The files of these guides, in the order of their userids (a worker process's call too)."""
    written = []
    for userid in sorted(lists):
        stem = file_stem(userid, day)
        paths = []
        for suffix, write in ((".xlsx", _write_xlsx), (".csv", _write_csv)):
            path, part = out_dir / f"{stem}{suffix}", out_dir / f".{stem}{suffix}.part"
            write(part, lists[userid])
            os.replace(part, path)
            paths.append(path)
        written.append((userid, len(lists[userid]), *paths))
    return written


def shares(lists: dict[str, list]) -> tuple[list[str], list[str]]:
    """The guides in two shares of about equal work: largest first, each to the lighter share, a
    guide weighing its tasks plus a workbook's fixed cost."""
    mine: list[str] = []
    theirs: list[str] = []
    weights = [0, 0]
    for userid in sorted(lists, key=lambda u: (-len(lists[u]), u)):
        lighter = 0 if weights[0] <= weights[1] else 1
        (mine, theirs)[lighter].append(userid)
        weights[lighter] += len(lists[userid]) + WORKBOOK_ROWS
    return mine, theirs


def export_guides(con, day: date, out_dir: Path, guide: str | None = None) -> Written:
    """`siyu export guides`: check everything, then write; a refusal writes nothing."""
    existing = next(p for p in (out_dir, *out_dir.parents) if p.exists())  # the root always exists
    if not existing.is_dir():
        raise ExportRefused(f"--out {out_dir}: {existing} is a file, not a folder")
    return write_lists(task_lists(con, day, guide), day, out_dir)


def export_nightly(con, root: Path) -> tuple[date, Written]:
    """The nightly files: the latest loaded day's lists into root/<day>/, older nights pruned to
    the KEEP_NIGHTS latest."""
    _, last = loaded_range(con)
    written = export_guides(con, last, root / last.isoformat())
    nights = sorted(p for p in root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name))
    for old in nights[:-KEEP_NIGHTS]:  # only the files these exports write; the folder if then empty
        for path in old.glob(f"*_{old.name}.*"):
            if path.suffix in (".xlsx", ".csv") and path.is_file() and not path.is_symlink():
                path.unlink()
        if not any(old.iterdir()):
            old.rmdir()
    return last, written


def cmd_export_guides(args) -> int:
    """`siyu export guides --day D --out DIR [--guide USERID]`; exit 2 (nothing written) on a refusal."""
    from orchestration.settings import ConfigError, Settings

    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        raise ConfigError(f"--day {args.day!r} is not a date: YYYY-MM-DD, a business date") from None
    settings = Settings.demo() if args.demo else Settings.from_env(require_salt=False)  # nothing hashed
    if not settings.warehouse.is_file():
        raise ConfigError(f"no warehouse at {settings.warehouse} (SIYU_WAREHOUSE): run `siyu run` first")
    out = Path(args.out)
    try:
        con = duckdb.connect(str(settings.warehouse), read_only=True)
    except duckdb.IOException as exc:  # a night holds it: DuckDB has one writer
        raise ConfigError(f"SIYU_WAREHOUSE={settings.warehouse}: cannot open it ({exc})") from None
    try:
        written = export_guides(con, day, out, args.guide)
    except ExportRefused as exc:
        raise ConfigError(str(exc)) from None
    finally:
        con.close()
    for userid, tasks, xlsx, text in written:
        print(f"{userid}: {tasks} task{'s' * (tasks != 1)} -> {xlsx} and {text.name}")
    print(f"task lists of {len(written)} guide{'s' * (len(written) != 1)} for {day} written to {out}")
    return 0
