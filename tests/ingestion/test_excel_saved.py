"""Exports that passed through a back office or Excel, which a brand's data team meets weekly.

- A CSV saved again in Excel: the empty rows of a formatted range come back as `,,,,` lines (and a
  line of blanks where a cell held a space). They are not records, as an empty sheet row is not: the
  file loads as its workbook does. Before, each such line was quarantined as
  `missing_required_field`, and more of them than rows stopped the night.
- An id Excel turned into a number in scientific notation is `malformed_id`.
- A title and notes above the header (readers.HEADER_SEARCH_ROWS) are not records.
- Files joined into one: the repeated headers are not records, the BOMs inside do not count.
- A workbook stating a wrong size is read whole; lines ended by a lone CR are lines; a data line's
  trailing separator is an empty extra column; Excel's Chinese dates are dates."""

from openpyxl import Workbook
from test_loader_support import POS_RECEIPT, csv_text, jsonl, land, load, rows

RECEIPTS = [
    ["S01", "R1", "2024-05-01 10:00:00", "C9", "13812345678", "99.00", "1.00", "c1", "", "0"],
    ["S01", "R2", "2024-05-01 11:30:00", "", "", "10.50", "0", "c1", "", "0"],
]
LOADED = "select store_code, receipt_no, amount, card_no, traded_at from raw.pos__receipt order by receipt_no"


def test_excel_s_empty_rows_are_not_records(tmp_path, con):
    blank = "," * (len(POS_RECEIPT) - 1)
    body = csv_text(POS_RECEIPT, [RECEIPTS[0]]) + f"{blank}\n" + ",".join(RECEIPTS[1]) + "\n"
    body += f"{blank}\n" * 3 + " , ,\n" + '"",""\n' + ",,\n"  # wider, narrower, quoted: still blank
    land(tmp_path, "pos", "receipt", "export.csv", body.replace("\n", "\r\n"), encoding="gb18030")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0)
    from_csv = con.execute(LOADED).fetchall()
    assert [r[:3] for r in from_csv] == [("S01", "R1", 99), ("S01", "R2", 10.5)]
    numbers = sorted(r["_row_number"] for r in rows(con, "select _row_number from raw.pos__receipt"))
    assert numbers == [1, 3]  # the records keep their place in the file

    book = Workbook()
    for row in [POS_RECEIPT, RECEIPTS[0], [None] * 10, RECEIPTS[1], [None] * 10, ["", " "]]:
        book.active.append(row)
    (tmp_path / "pos" / "receipt" / "2024-05-01" / "export.csv").unlink()
    book.save(tmp_path / "pos" / "receipt" / "2024-05-01" / "export.xlsx")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0)
    assert con.execute(LOADED).fetchall() == from_csv


def test_a_row_with_one_value_is_still_a_record(tmp_path, con):
    """Only wholly empty rows are skipped: a row holding one value is offered and judged."""
    lone = ["", "", "", "", "", "", "", "", "", "0"]
    land(tmp_path, "pos", "receipt", "export.csv", csv_text(POS_RECEIPT, [RECEIPTS[0], lone]))
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.reasons) == (2, 1, {"missing_required_field": 1})


TMALL = ["订单编号", "买家会员名", "买家应付货款", "买家实际支付金额", "订单状态", "订单创建时间",
         "订单付款时间", "收货人手机号", "退款金额", "宝贝标题", "宝贝总数量"]


def order(order_no, nick: str) -> list:
    paid = "2024-05-01 10:01:00"
    return [order_no, nick, "10.00", "10.00", "交易成功", "2024-05-01 10:00:00", paid, "", "0", "t", "1"]


def test_an_order_number_excel_wrote_in_scientific_notation_is_quarantined(tmp_path, con):
    """Opened without its ="…" guard, an 18-digit 订单编号 is shown and saved as `1.23457E+18`: two
    different orders become one id, and staging would keep one of them. Their rows are quarantined
    as malformed_id, naming the value; ids that only look numeric load."""
    rows_in = [
        order("1.23457E+18", "买家甲"),
        order("1.23457E+18", "买家乙"),
        order('="123456789012345678"', "1e5"),  # a nick of digits and an e is still a nick
        order("123456789012345679", "2E8"),
    ]
    land(tmp_path, "tmall", "trade", "export.csv", csv_text(TMALL, rows_in), encoding="gb18030")
    result = load(con, tmp_path, "tmall", "trade")
    assert (result.rows_loaded, result.reasons) == (2, {"malformed_id": 2})
    loaded = con.execute("select order_no, buyer_nick from raw.tmall__trade order by 1").fetchall()
    assert loaded == [("123456789012345678", "1e5"), ("123456789012345679", "2E8")]
    details = [r["detail"] for r in rows(con, "select detail from raw._quarantine")]
    assert details == ["订单编号: malformed_id '1.23457E+18'"] * 2

    book = Workbook()  # a workbook whose order numbers are number cells: 18 digits do not fit a double
    for row in [TMALL, order(123456789012345678, "买家甲"), order("123456789012345678", "买家乙")]:
        book.active.append(row)
    (tmp_path / "tmall" / "trade" / "2024-05-01" / "export.csv").unlink()
    book.save(tmp_path / "tmall" / "trade" / "2024-05-01" / "export.xlsx")
    result = load(con, tmp_path, "tmall", "trade")
    assert (result.rows_loaded, result.reasons) == (1, {"malformed_id": 1})
    assert con.execute("select buyer_nick from raw.tmall__trade").fetchall() == [("买家乙",)]


def test_a_title_and_notes_above_the_header_are_not_records(tmp_path, con, monkeypatch):
    """A store back office's export: a title, an export-time note and a blank line above the header.
    The first row naming every required column is the header; the file loads as without them, in CSV
    and in a workbook, also when a long record sends the CSV to the csv module."""
    import ingestion.read.csv_reader as csv_reader

    title = ["门店销售流水报表"], ["导出时间：2024-05-02 08:00:00", "", "操作员：店长"], []
    body = "\n".join(",".join(r) for r in title) + "\n" + csv_text(POS_RECEIPT, RECEIPTS)
    day = tmp_path / "pos" / "receipt" / "2024-05-01"
    land(tmp_path, "pos", "receipt", "export.csv", body, encoding="gb18030")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0)
    expected = con.execute(LOADED).fetchall()
    assert [r[1] for r in expected] == ["R1", "R2"]
    numbers = [r["_row_number"] for r in rows(con, "select _row_number from raw.pos__receipt order by 1")]
    assert numbers == [1, 2]

    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 64)  # no record fits a block: the csv module reads on
    land(tmp_path, "pos", "receipt", "export.csv", body, encoding="gb18030")
    assert load(con, tmp_path, "pos", "receipt").rows_loaded == 2
    assert con.execute(LOADED).fetchall() == expected

    book = Workbook()
    for row in [*title, POS_RECEIPT, *RECEIPTS]:
        book.active.append(row)
    (day / "export.csv").unlink()
    book.save(day / "export.xlsx")
    assert load(con, tmp_path, "pos", "receipt").rows_loaded == 2
    assert con.execute(LOADED).fetchall() == expected


def test_a_file_without_its_columns_in_its_first_rows_still_lacks_them(tmp_path, con):
    """The header is looked for in the first 10 rows only, and only a row naming every required
    column is one: a file whose header lacks 金额 is quarantined whole, its rows all offered."""
    header = [c for c in POS_RECEIPT if c != "金额"]
    body = csv_text(header, [r[:5] + r[6:] for r in RECEIPTS])
    land(tmp_path, "pos", "receipt", "export.csv", body)
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.reasons) == (2, {"missing_required_columns": 2})
    late = "\n".join(["注"] * 10) + "\n" + csv_text(POS_RECEIPT, RECEIPTS[:1])  # the header on row 11
    land(tmp_path, "pos", "receipt", "export.csv", late)
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.reasons) == (11, {"missing_required_columns": 11})  # 9 + 2


def test_a_tab_separated_export_named_csv_loads(tmp_path, con):
    """Some back offices save tab-separated text under `.csv`: its header, split by tabs, names every
    column, so tabs separate its fields (a comma inside a field is then text)."""
    receipts = [r[:] for r in RECEIPTS]
    receipts[1][7] = "c1,c2"  # a cashier code holding a comma
    body = "\r\n".join("\t".join(r) for r in [["门店销售流水报表"], POS_RECEIPT, *receipts]) + "\r\n"
    land(tmp_path, "pos", "receipt", "export.csv", body, encoding="gb18030")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0)
    cashiers = con.execute("select cashier_code from raw.pos__receipt order by receipt_no").fetchall()
    assert cashiers == [("c1",), ("c1,c2",)]


def test_excel_s_chinese_date_format_reads_as_its_date(tmp_path, con):
    """Saved from a sheet formatted as 2024年5月1日 (Excel's Chinese long date): the same instants and
    dates as 2024-05-01; 5/1/2024 (month or day first?) stays unparseable."""
    times = ["2024年5月1日 10:00:00", "2024年5月1日10:30", "2024/5/1 11:00"]
    receipts = [[*r[:2], t, *r[3:]] for r, t in zip([*RECEIPTS, RECEIPTS[0]], times, strict=True)]
    receipts[2][1] = "R3"
    land(tmp_path, "pos", "receipt", "export.csv", csv_text(POS_RECEIPT, receipts), encoding="gb18030")
    assert load(con, tmp_path, "pos", "receipt").rows_loaded == 3
    beijing = "select strftime(timezone('Asia/Shanghai', traded_at), '%Y-%m-%d %H:%M') from raw.pos__receipt"
    assert sorted(r[0] for r in con.execute(beijing).fetchall()) == [
        "2024-05-01 10:00", "2024-05-01 10:30", "2024-05-01 11:00"
    ]
    header = ["date", "platform", "account_id", "campaign_id", "campaign_name", "impressions", "clicks",
              "cost"]
    dates = ["2024年5月1日", "5/1/2024"]
    spend = [[d, "baidu", "a1", f"c{i}", "n", "10", "1", "1.00"] for i, d in enumerate(dates)]
    land(tmp_path, "ads", "spend", "s.csv", csv_text(header, spend))
    result = load(con, tmp_path, "ads", "spend")
    assert (result.rows_loaded, result.reasons) == (1, {"unparseable_value": 1})
    assert con.execute("select cast(date as varchar) from raw.ads__spend").fetchall() == [("2024-05-01",)]


def test_files_joined_into_one_keep_their_records(tmp_path, con):
    """Day files joined into one (`copy /b a.csv+b.csv day.csv`, `cat a.jsonl b.jsonl`), each part
    beginning with its BOM and, for CSV, its header: the repeated header is no record, and a record
    after a BOM is the record it would be without it (here a repeat of the first part's)."""
    bom = "\ufeff"
    first, second = csv_text(POS_RECEIPT, RECEIPTS[:1]), csv_text(POS_RECEIPT, RECEIPTS[1:])
    # (the first part with two BOMs: a tool that saved it with a BOM on top of its own)
    land(tmp_path, "pos", "receipt", "day.csv", bom + bom + first + bom + second + second)
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.duplicates, result.quarantined) == (3, 2, 1, 0)
    invitation = {"campaign_id": "c1", "inviter_unionid": "oU1", "invitee_unionid": "oV1", "step": "scan",
                  "ts": 1714528800}
    other = {**invitation, "invitee_unionid": "oV2"}
    parts = [jsonl([invitation]), jsonl([other, invitation])]
    land(tmp_path, "fission", "invitation", "day.jsonl", "".join(bom + p for p in parts))
    result = load(con, tmp_path, "fission", "invitation")
    assert (result.rows_offered, result.rows_loaded, result.duplicates, result.quarantined) == (3, 2, 1, 0)


def test_a_workbook_that_states_a_wrong_size_loads_every_row(tmp_path, con):
    """Some exporters write `<dimension ref="A1"/>` whatever the sheet holds. Read-only openpyxl reads
    the stated range: such a workbook loaded nothing, silently, and one stating A1:B2 lacked columns."""
    import re
    import zipfile

    book = Workbook()
    for row in [POS_RECEIPT, *RECEIPTS]:
        book.active.append(row)
    book.save(tmp_path / "made.xlsx")
    target = tmp_path / "pos" / "receipt" / "2024-05-01" / "export.xlsx"
    target.parent.mkdir(parents=True)
    for stated in ("A1", "A1:B2"):
        with zipfile.ZipFile(tmp_path / "made.xlsx") as made, zipfile.ZipFile(target, "w") as out:
            for item in made.infolist():
                data = made.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    wrong = f'<dimension ref="{stated}"/>'.encode()
                    data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', wrong, data)
                    assert n == 1
                out.writestr(item, data)
        result = load(con, tmp_path, "pos", "receipt")
        assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0), stated


def test_a_separator_ending_each_data_line_is_an_empty_extra_column(tmp_path, con, monkeypatch):
    """An exporter that ends every data line with a comma its header lacks: the empty fields beyond
    the header are extra trailing columns, ignored (docs/sources.md), not a reason to lose the rows;
    a value beyond the header's width is still an unparseable record."""
    import ingestion.read.csv_reader as csv_reader

    third = [*RECEIPTS[0][:1], "R3", *RECEIPTS[0][2:]]
    body = ",".join(POS_RECEIPT) + "\n" + "".join(",".join(r) + ",\n" for r in RECEIPTS)
    body += ",".join(third) + ",x\n"
    expected = None
    for block in (csv_reader.BLOCK_SIZE, 64):  # pyarrow, then the csv module reading on
        monkeypatch.setattr(csv_reader, "BLOCK_SIZE", block)
        land(tmp_path, "pos", "receipt", "export.csv", body)
        result = load(con, tmp_path, "pos", "receipt")
        assert (result.rows_offered, result.rows_loaded, result.reasons) == (3, 2, {"unparseable_record": 1})
        loaded = con.execute(LOADED).fetchall()
        assert [r[1] for r in loaded] == ["R1", "R2"] and loaded == (expected or loaded)
        expected = loaded
        numbers = rows(con, "select row_number from raw._quarantine where entity = 'receipt'")
        assert [r["row_number"] for r in numbers] == [3]


def test_lines_ended_by_a_lone_cr_are_lines(tmp_path, con):
    """Excel for Mac's "CSV (Macintosh)" ends lines with CR alone. The header search read the whole
    file as one line and the csv module raised, stopping the load with a traceback; a JSONL file so
    written was one unparseable record."""
    body = "\r".join(",".join(r) for r in [POS_RECEIPT, *RECEIPTS]) + "\r"
    land(tmp_path, "pos", "receipt", "export.csv", body, encoding="gb18030")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (2, 2, 0)
    invitations = [{"campaign_id": "c1", "inviter_unionid": "oU1", "invitee_unionid": f"oV{i}",
                    "step": "scan", "ts": 1714528800} for i in range(3)]
    land(tmp_path, "fission", "invitation", "day.jsonl", jsonl(invitations).replace("\n", "\r"))
    result = load(con, tmp_path, "fission", "invitation")
    assert (result.rows_offered, result.rows_loaded, result.quarantined) == (3, 3, 0)


def test_an_empty_first_sheet_gives_way_to_the_first_sheet_holding_rows(tmp_path, con):
    """An export whose workbook kept an empty Sheet1, or a notes sheet, before its own sheet loaded
    nothing, silently: the sheet read is the first whose first rows hold the header."""
    day = tmp_path / "pos" / "receipt" / "2024-05-01"
    day.mkdir(parents=True)
    book = Workbook()
    data = book.create_sheet("销售流水")
    for row in [POS_RECEIPT, *RECEIPTS]:
        data.append(row)
    book.save(day / "export.xlsx")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded) == (2, 2)
    book.active.append(["导出说明：本表为门店销售流水"])  # a notes sheet first
    book.save(day / "export.xlsx")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.rows_loaded) == (2, 2)
    del book["销售流水"]  # no sheet holds the table: the first is read, and lacks the columns
    book.save(day / "export.xlsx")
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_offered, result.reasons) == (0, {})  # its only row is taken for the header
