"""`siyu export guides` and the nightly task-list files, over a warehouse written by hand: the three
relations the export reads (int_guides__tasks, int_calendar__bounds, stg_org__employees). What the
dbt rules put in int_guides__tasks is judged in test_export_guides_build.py.

By hand: loaded days 2026-10-30 and 2026-10-31. g1 (guide) has two tasks, one with a crafted
external_userid `=HYPERLINK(…)` and a segment starting with `+`, `-`, `@` or a tab; g2 (guide) has
none but gets an empty list; gone (guide, left) has none and gets nothing; m1 (manager) has one, so
gets a list. The tasks table also carries a name, a remark and a phone (as a future column might):
no file may show them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from datetime import date, datetime

import duckdb
import openpyxl
import pytest
from salt_support import SALT_A

from orchestration import export_guides
from orchestration.cli import main
from orchestration.export_guides import KEEP_NIGHTS, export_nightly, file_stem, shares, write_lists

L = date(2026, 10, 31)
HYPERLINK = '=HYPERLINK("http://evil.example/?x=1","click")'
PLANTED = ["王小明", "VIP 老客户 爱喝咖啡", "13812345678"]  # name, remark, phone
HEADER = ["原因 reason", "截止日期 due date", "关怀节点 care moment", "企微客户 external_userid",
          "客户ID customer_id", "RFM分层 segment", "生命周期 lifecycle stage", "最近购买 last purchase",
          "加好友 friend since", "reason code"]
# (userid, external_userid, customer_id, reason, reason_cn, priority, moment_type, due_date, stage,
#  segment, last purchase, friend since)
TASKS = [
    ("g1", "wmA", "cA", "super_user_at_risk", "超级用户流失预警", 2, None, None, "first_purchase",
     "重要挽留客户", date(2026, 6, 1), date(2026, 5, 1)),
    ("g1", HYPERLINK, "cX", "care_moment", "关怀时刻", 1, "birthday", date(2026, 11, 1), "pooled",
     "+1 -2 @3", None, date(2026, 10, 28)),
    ("m1", "wmM", "cM", "friend_never_bought", "新好友未购买", 4, None, date(2026, 11, 20), "pooled",
     "\tx", None, date(2026, 10, 21)),
]


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema intermediate; create schema staging")
        con.execute("create table intermediate.int_calendar__bounds as "
                    "select date '2026-10-30' as first_date, date '2026-10-31' as last_date")
        con.execute("""create table intermediate.int_guides__tasks (as_of_date date, userid varchar,
            external_userid varchar, customer_id varchar, reason varchar, reason_cn varchar, priority int,
            moment_type varchar, due_date date, lifecycle_stage varchar, rfm_segment_cn varchar,
            last_purchase_date date, friend_since_date date, name varchar, remark varchar, phone varchar)""")
        for row in TASKS:
            con.execute("insert into intermediate.int_guides__tasks values (?" + ", ?" * 15 + ")",
                        [L, *row, *PLANTED])
        con.execute("create table staging.stg_org__employees (userid varchar, role varchar, is_active bool)")
        con.execute("insert into staging.stg_org__employees values ('g1', 'guide', true), "
                    "('g2', 'guide', true), ('gone', 'guide', false), ('m1', 'manager', true)")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(path))
    return path


def export(out, *args) -> int:
    return main(["export", "guides", "--day", "2026-10-31", "--out", str(out), *args])


def read_csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)  # Excel reads the Chinese as UTF-8 only with it
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def read_xlsx(path) -> list[list]:
    sheet = openpyxl.load_workbook(path).active  # a date cell reads back as midnight of that date
    rows = sheet.iter_rows()
    return [[c.value.date() if isinstance(c.value, datetime) else c.value for c in row] for row in rows]


class SpiedWorker(export_guides.Worker):
    """The export's second process, kept to be looked at."""
    started: list = []

    def __init__(self, modules):
        super().__init__(modules)
        SpiedWorker.started.append(self)


@pytest.fixture
def two_processes(monkeypatch):
    """The export's shared writing from the first task on (SHARED_FROM), its second process spied."""
    SpiedWorker.started = []
    monkeypatch.setattr(export_guides, "SHARED_FROM", 1)
    monkeypatch.setattr(export_guides, "Worker", SpiedWorker)
    monkeypatch.setenv("SIYU_NIGHT_WORKERS", "1")
    return SpiedWorker.started


@pytest.mark.parametrize("processes", [1, 2])
def test_one_xlsx_and_one_csv_per_guide_with_their_tasks_in_order(warehouse, tmp_path, capsys, processes,
                                                                   request):
    if processes == 2:  # the same files when a second process writes some of them
        started = request.getfixturevalue("two_processes")
    out = tmp_path / "lists"
    assert export(out) == 0
    if processes == 2:  # it wrote its share and ended
        assert len(started) == 1 and started[0].used and started[0].process.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "g1_2026-10-31.csv", "g1_2026-10-31.xlsx", "g2_2026-10-31.csv", "g2_2026-10-31.xlsx",
        "m1_2026-10-31.csv", "m1_2026-10-31.xlsx"]
    # g1: the care moment (priority 1) before the super user; text neutralised, dates as dates
    assert read_xlsx(out / "g1_2026-10-31.xlsx") == [HEADER, [
        "关怀时刻", date(2026, 11, 1), "birthday", "'" + HYPERLINK, "cX", "'+1 -2 @3", "pooled", None,
        date(2026, 10, 28), "care_moment"], [
        "超级用户流失预警", None, None, "wmA", "cA", "重要挽留客户", "first_purchase", date(2026, 6, 1),
        date(2026, 5, 1), "super_user_at_risk"]]
    assert read_csv(out / "g1_2026-10-31.csv") == [HEADER, [
        "关怀时刻", "2026-11-01", "birthday", "'" + HYPERLINK, "cX", "'+1 -2 @3", "pooled", "",
        "2026-10-28", "care_moment"], [
        "超级用户流失预警", "", "", "wmA", "cA", "重要挽留客户", "first_purchase", "2026-06-01",
        "2026-05-01", "super_user_at_risk"]]
    assert read_csv(out / "m1_2026-10-31.csv")[1][5] == "'\tx"
    assert read_csv(out / "g2_2026-10-31.csv") == read_xlsx(out / "g2_2026-10-31.xlsx") == [HEADER]
    printed = capsys.readouterr().out
    assert "g1: 2 tasks" in printed and "g2: 0 tasks" in printed and "3 guides" in printed


def test_no_cell_is_a_formula_and_no_name_remark_or_phone_is_written(warehouse, tmp_path):
    out = tmp_path / "lists"
    assert export(out) == 0
    for path in out.glob("*.xlsx"):
        book = openpyxl.load_workbook(path)
        assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
        with zipfile.ZipFile(path) as z:  # the stored XML itself: no <f> element, no planted value
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert "<f>" not in xml and "<f " not in xml
        assert [p for p in PLANTED if p in xml] == []
    for path in out.glob("*.csv"):
        text = path.read_bytes().decode("utf-8-sig")
        assert [p for p in PLANTED if p in text] == []
        cells = [cell for row in read_csv(path) for cell in row]
        assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


@pytest.mark.parametrize("args, says", [
    (["--day", "2026-11-01"], "outside the warehouse's loaded days, 2026-10-30 to 2026-10-31"),
    (["--day", "2026-10-29"], "outside the warehouse's loaded days"),
    (["--day", "2026-10-30"], "as of its latest loaded day, 2026-10-31, only"),
    (["--day", "31/10/2026"], "is not a date"),
    (["--day", "2026-10-31", "--guide", "nobody"], "'nobody' is no active guide"),
])
def test_bad_input_is_refused_and_nothing_written(warehouse, tmp_path, capsys, args, says):
    out = tmp_path / "lists"
    assert main(["export", "guides", *args, "--out", str(out)]) == 2
    assert says in capsys.readouterr().err
    assert not out.exists()


def test_an_out_folder_that_is_a_file_is_refused(warehouse, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    for out in (afile, afile / "below"):
        assert export(out) == 2
        assert "is a file, not a folder" in capsys.readouterr().err
    assert afile.read_text() == "keep me" and sorted(tmp_path.iterdir()) == [afile, warehouse]


def test_one_guide_only_and_an_unsafe_userid_stays_inside_the_folder(warehouse, tmp_path):
    out = tmp_path / "lists"
    assert export(out, "--guide", "g1") == 0
    assert sorted(p.name for p in out.iterdir()) == ["g1_2026-10-31.csv", "g1_2026-10-31.xlsx"]
    with duckdb.connect(str(warehouse)) as con:  # a userid no WeCom admin could give: a path
        con.execute("update intermediate.int_guides__tasks set userid = '../../etc/张三' where userid = 'm1'")
    assert export(out, "--guide", "../../etc/张三") == 0
    [csv_file, xlsx_file] = sorted(p for p in out.iterdir() if not p.name.startswith("g1_"))
    assert re.fullmatch(r"______etc___-[0-9a-f]{8}_2026-10-31\.csv", csv_file.name)
    assert xlsx_file.name == csv_file.name.replace(".csv", ".xlsx")
    assert file_stem("../../etc/张三", L) != file_stem("../../etc/李四", L)  # told apart by the hash


def test_nightly_files_go_to_the_day_folder_and_old_nights_are_pruned(warehouse, tmp_path):
    root = tmp_path / "exports" / "guides"
    nights = [f"2026-10-{d:02d}" for d in range(20, 31)]  # 11 older nights written before
    for night in nights:
        (root / night).mkdir(parents=True)
        (root / night / f"g1_{night}.csv").write_text("old")
    (root / nights[0] / "notes.txt").write_text("someone's own file")
    with duckdb.connect(str(warehouse)) as con:
        day, written = export_nightly(con, root)
    assert day == L and [(u, n) for u, n, *_ in written] == [("g1", 2), ("g2", 0), ("m1", 1)]
    kept = sorted(p.name for p in root.iterdir())
    # the 7 latest nights (tonight's included) stay; an older folder holding another file stays with it
    assert kept == [nights[0], *nights[-(KEEP_NIGHTS - 1):], "2026-10-31"]
    assert [p.name for p in (root / nights[0]).iterdir()] == ["notes.txt"]


def run_asset(warehouse):
    from dagster import materialize

    from orchestration.defs.guide_exports import guide_task_lists
    from orchestration.defs.resources import Warehouse

    resource = Warehouse(path=str(warehouse), landing_dir=str(warehouse.parent), phone_salt=SALT_A)
    result = materialize([guide_task_lists], resources={"warehouse": resource}, raise_on_error=False)
    [event] = result.asset_materializations_for_node("exports__guide_tasks")
    return result.success, {k: v.value for k, v in event.metadata.items()}


def test_the_nightly_asset_writes_beside_the_warehouse_and_a_failure_is_no_failed_step(warehouse):
    assert run_asset(warehouse) == (True, {
        "status": "ok", "day": "2026-10-31", "path": str(warehouse.parent / "exports/guides/2026-10-31"),
        "guides": 3, "tasks": 3})
    assert len(list((warehouse.parent / "exports/guides/2026-10-31").iterdir())) == 6
    with duckdb.connect(str(warehouse)) as con:  # tonight's lists cannot be read: the step says so
        con.execute("drop table intermediate.int_guides__tasks")
    ok, metadata = run_asset(warehouse)
    assert ok and metadata["guides"] == 0 and "no task lists yet" in metadata["status"]


def test_the_asset_runs_after_the_models_it_reads_and_publishing_never_waits_for_it():
    from orchestration.pipeline import parse_dbt_project

    parse_dbt_project()  # before the dbt assets load the manifest, at import
    from orchestration.defs.build import build_definitions
    from orchestration.defs.partitions import window_partitions

    graph = build_definitions(window_partitions(L, L)).resolve_asset_graph()
    [key] = [k for k in graph.get_all_asset_keys() if k.path == ["exports", "guide_tasks"]]
    assert {tuple(p.path) for p in graph.get(key).parent_keys} == {
        ("intermediate", "int_guides__tasks"), ("intermediate", "int_calendar__bounds"),
        ("staging", "stg_org__employees")}
    assert graph.get(key).child_keys == set()  # nothing, publishing included, reads the files


def test_two_shares_of_about_equal_work_largest_guides_first():
    # weights: tasks + 70 a workbook: a 170, b 130, c 120, d 80 → a | b, then c to b (130 < 170),
    # then d to a (170 < 250): 250 each
    lists = {"a": [()] * 100, "b": [()] * 60, "c": [()] * 50, "d": [()] * 10}
    assert shares(lists) == (["a", "d"], ["b", "c"])
    assert shares({"only": []}) == (["only"], [])


def test_a_share_failing_in_the_second_process_fails_the_export(tmp_path, two_processes):
    out = tmp_path / "lists"
    lists = {"a": [("x",) * 10] * 3, "b": [("y",) * 10] * 2}  # a here, b in the second process
    (out / ".b_2026-10-31.xlsx.part").mkdir(parents=True)  # b's file cannot be written
    with pytest.raises(RuntimeError, match="write_share failed in its worker process") as failed:
        write_lists(lists, L, out)
    assert "IsADirectoryError" in str(failed.value)
    assert two_processes[0].process.returncode is not None  # no process left behind
    assert (out / "a_2026-10-31.xlsx").is_file()  # this process's share was written
