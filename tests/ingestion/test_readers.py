"""Readers: encodings, JSON shapes (JSONL, array, one pretty-printed object), CSV quoting, .xlsx."""

import io
import json

import pytest
from openpyxl import Workbook

from ingestion.contracts import get
from ingestion.read.encoding import detect_encoding
from ingestion.read.readers import FileInfo, LandingFileError, read_file

TRADE_HEADER = ",".join(
    get("tmall", "trade").field(f).source
    for f in (
        "order_no",
        "buyer_nick",
        "payable_amount",
        "paid_amount",
        "order_status",
        "created_at",
        "paid_at",
        "receiver_phone",
        "refund_amount",
        "item_title",
        "item_quantity",
    )
)


def read(path, source, entity, batch_rows=1000):
    info = FileInfo(path.name, path.suffix.lstrip("."))
    batches = list(read_file(path, info, get(source, entity), batch_rows))
    return info, batches


def numbers(batches):
    return [n for b in batches for n in b.row_numbers]


def errors(batches):
    return {b.row_numbers[k]: reason for b in batches for k, (reason, _) in b.errors.items()}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("订单编号,金额\n1,2\n".encode("gbk"), "gb18030"),
        ("订单编号,金额\n1,2\n".encode("gb18030"), "gb18030"),
        ("订单编号,金额\n1,2\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "订单编号\n".encode(), "utf-8-sig"),
        (b"plain,ascii\n1,2\n", "utf-8"),
        ("订单编号\n".encode() * 50 + b"\xff\xfe broken\n", "utf-8"),  # mostly UTF-8, one bad line
        ("订单编号\n".encode("gbk") * 50 + b"\xff broken\n", "gb18030"),  # mostly GBK, one bad line
        ("订单编号\n".encode("utf-16"), "utf-16"),  # Windows PowerShell's `>`: a BOM, little-endian
        (b"\xfe\xff" + "订单编号\n".encode("utf-16-be"), "utf-16"),
    ],
)
def test_encoding_detection(data, expected):
    assert detect_encoding(io.BytesIO(data)) == expected


def test_gbk_file_with_a_late_ascii_prefix_is_still_detected():
    data = b"a,b\n" * 300_000 + "中文,行\n".encode("gbk")  # the first non-ASCII byte is 1.2 MB in
    assert detect_encoding(io.BytesIO(data)) == "gb18030"


def test_json_array_single_object_and_jsonl_in_a_json_file(tmp_path):
    rec = {
        "msgid": "m1",
        "action": "send",
        "from": "u1",
        "tolist": ["a", "b,c"],
        "msgtime": 1714528800000,
        "msgtype": "text",
    }
    shapes = {
        "array.json": json.dumps([rec, {**rec, "msgid": "m2"}], indent=2),
        "pretty.json": json.dumps(rec, indent=2),
        "lines.json": json.dumps(rec) + "\n" + json.dumps({**rec, "msgid": "m2"}) + "\n",
    }
    for name, text in shapes.items():
        (tmp_path / name).write_text(text)
        info, batches = read(tmp_path / name, "wecom", "message")
        ids = [v for b in batches for v in b.columns["msgid"].to_pylist()]
        assert ids == ["m1", "m2"][: len(ids)] and len(ids) == (1 if name == "pretty.json" else 2), name
        assert not errors(batches)
        assert [v for b in batches for v in b.columns["tolist"].to_pylist()][0] == '["a","b,c"]'


def test_truncated_array_quarantines_only_its_last_element(tmp_path):
    text = json.dumps([{"msgid": "m1"}, {"msgid": "m2"}, {"msgid": "m3"}])[:-12]
    (tmp_path / "cut.json").write_text(text)
    _, batches = read(tmp_path / "cut.json", "wecom", "message")
    assert numbers(batches) == [1, 2, 3] and errors(batches) == {3: "unparseable_record"}


def test_csv_quoting_multiline_fields_and_wrong_field_counts_keep_record_numbers(tmp_path):
    body = (
        TRADE_HEADER + "\n"
        '1,a,1,1,"买家已付款,等待卖家发货",2024-05-01 10:00:00,,,0,"line one\nline two",1\n'
        "2,b,1,1,交易成功,2024-05-01 10:00:00,,,0,t\n"  # 10 fields
        "\n"  # blank: not a record
        "3,c,1,1,交易成功,2024-05-01 10:00:00,,,0,t,1,extra\n"  # 12 fields
        "4,d,1,1,交易成功,2024-05-01 10:00:00,,,0,t,1\n"
    )
    (tmp_path / "t.csv").write_text(body)
    info, batches = read(tmp_path / "t.csv", "tmall", "trade", batch_rows=1)
    assert sorted(numbers(batches)) == [1, 2, 3, 4]
    assert errors(batches) == {2: "unparseable_record", 3: "unparseable_record"}
    good = {
        n: (b.columns["order_status"][k].as_py(), b.columns["item_title"][k].as_py())
        for b in batches
        for k, n in enumerate(b.row_numbers)
        if k not in b.errors
    }
    assert good == {1: ("买家已付款,等待卖家发货", "line one\nline two"), 4: ("交易成功", "t")}
    assert info.encoding == "utf-8" and not info.missing_columns


def test_undecodable_line_is_one_row_of_a_gbk_csv(tmp_path):
    rows = [f"{i},买家{i},1,1,交易成功,2024-05-01 10:00:00,,,0,宝贝,1" for i in range(1, 5)]
    data = (
        (TRADE_HEADER + "\n" + "\n".join(rows[:2]) + "\n").encode("gbk")
        + b"9,\xff\xff\xff,1\n"
        + ("\n".join(rows[2:]) + "\n").encode("gbk")
    )
    (tmp_path / "t.csv").write_bytes(data)
    info, batches = read(tmp_path / "t.csv", "tmall", "trade")
    assert info.encoding == "gb18030"
    assert numbers(batches) == [1, 2, 4, 5, 3] or sorted(numbers(batches)) == [1, 2, 3, 4, 5]
    assert errors(batches) == {3: "undecodable_bytes"}
    buyers = [
        v for b in batches for k, v in enumerate(b.columns["buyer_nick"].to_pylist()) if k not in b.errors
    ]
    assert buyers == ["买家1", "买家2", "买家3", "买家4"]


def test_xlsx_first_sheet_first_row_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["会员ID", "买家会员名", "手机号", "绑定时间"])
    ws.append(["M1", "nick", 13812345678, "2024-05-01 10:00:00"])
    ws.append([None, None, None, None])
    ws.append(["M2", "nick2", "138****5678", None])
    wb.create_sheet("other").append(["ignored"])
    wb.save(tmp_path / "m.xlsx")
    info, batches = read(tmp_path / "m.xlsx", "tmall", "member")
    assert info.encoding == "xlsx" and numbers(batches) == [1, 2]
    assert batches[0].columns["phone"].to_pylist() == ["13812345678", "138****5678"]


def test_a_file_that_is_not_a_workbook_raises_naming_it(tmp_path):
    (tmp_path / "m.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LandingFileError, match="m.xlsx"):
        read(tmp_path / "m.xlsx", "tmall", "member")


def test_a_record_longer_than_a_parse_block_falls_back_to_the_csv_module(tmp_path, monkeypatch):
    import ingestion.read.csv_reader as csv_reader

    rows = [
        f"{i},b{i},1,1,交易成功,2024-05-01 10:00:00,,,0,{'长' * (400 if i == 30 else 1)},1"
        for i in range(1, 41)
    ]
    rows[4] = "5,too,few"
    (tmp_path / "t.csv").write_text(TRADE_HEADER + "\n" + "\n".join(rows) + "\n")
    _, normal = read(tmp_path / "t.csv", "tmall", "trade", batch_rows=7)
    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 256)  # record 30 no longer fits in a block
    calls = []
    original = csv_reader._rest_by_csv_module
    monkeypatch.setattr(csv_reader, "_rest_by_csv_module", lambda *a: calls.append(1) or original(*a))
    _, fallback = read(tmp_path / "t.csv", "tmall", "trade", batch_rows=7)
    assert calls

    def by_number(batches):
        return {
            n: (b.errors.get(k, (None,))[0], b.columns["order_no"][k].as_py())
            for b in batches
            for k, n in enumerate(b.row_numbers)
        }

    assert by_number(fallback) == by_number(normal)
    assert sorted(by_number(normal)) == list(range(1, 41)) and errors(normal) == {5: "unparseable_record"}


def test_a_utf16_file_reads_as_its_text(tmp_path):
    """UTF-16 with its byte order mark, as Windows PowerShell 5's `>` and Notepad's "Unicode" save
    text: CSV and JSON read as the same file in UTF-8 would; a lone surrogate is one undecodable
    record, a last odd byte another."""
    rows = [f"{i},买家{i},1,1,交易成功,2024-05-01 10:00:00,,,0,宝贝,1" for i in range(1, 4)]
    text = TRADE_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n"
    (tmp_path / "le.csv").write_bytes(text.encode("utf-16"))
    (tmp_path / "be.csv").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    lone_surrogate = b"\x00\xd8" + "2".encode("utf-16-le")
    broken = text.encode("utf-16-le").replace("买家2".encode("utf-16-le"), lone_surrogate)
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe" + broken + b"\x31")
    for name in ("le.csv", "be.csv"):
        info, batches = read(tmp_path / name, "tmall", "trade")
        assert info.encoding == "utf-16" and numbers(batches) == [1, 2, 3] and not errors(batches)
        nicks = [v for b in batches for v in b.columns["buyer_nick"].to_pylist()]
        assert nicks == ["买家1", "买家2", "买家3"]
    info, batches = read(tmp_path / "bad.csv", "tmall", "trade")
    assert errors(batches) == {2: "undecodable_bytes", 4: "undecodable_bytes"}
    invitations = [
        {"campaign_id": f"裂变{i}", "inviter_unionid": f"oU{i}", "invitee_unionid": f"oV{i}", "step": "scan",
         "ts": 1714528800 + i}
        for i in range(3)
    ]
    jsonl = "\r\n".join(json.dumps(x, ensure_ascii=False) for x in invitations) + "\r\n"
    array = json.dumps(invitations, ensure_ascii=False, indent=2)
    for name, body in (("e.jsonl", jsonl), ("a.json", array)):
        (tmp_path / f"utf8-{name}").write_text(body, encoding="utf-8")
        (tmp_path / name).write_bytes(body.encode("utf-16"))
        info, batches = read(tmp_path / name, "fission", "invitation")
        _, utf8 = read(tmp_path / f"utf8-{name}", "fission", "invitation")
        assert info.encoding == "utf-16" and numbers(batches) == numbers(utf8) == [1, 2, 3]
        campaigns = [[v for b in bs for v in b.columns["campaign_id"].to_pylist()] for bs in (batches, utf8)]
        assert campaigns[0] == campaigns[1] == ["裂变0", "裂变1", "裂变2"]


def test_objects_written_without_line_breaks_are_records_of_their_own(tmp_path):
    """A collector that forgot the newline writes `{…}{…}`: each object is a record, numbered in
    order; a cut last object is its own unparseable record; `}{` inside a string is no break."""
    def inv(i, text="scan"):
        return json.dumps({"campaign_id": f"c{i}", "inviter_unionid": "oU", "invitee_unionid": f"oV{i}",
                           "step": text, "ts": 1714528800}, ensure_ascii=False)

    body = inv(1) + inv(2) + " " + inv(3) + "\n" + inv(4, "a}{b") + "\n" + inv(5) + inv(6)[:-7] + "\n"
    (tmp_path / "d.jsonl").write_text(body)
    _, batches = read(tmp_path / "d.jsonl", "fission", "invitation")
    assert numbers(batches) == [1, 2, 3, 4, 5, 6]
    assert errors(batches) == {6: "unparseable_record"}
    campaigns = [v for b in batches for v in b.columns["campaign_id"].to_pylist()]
    assert campaigns[:5] == ["c1", "c2", "c3", "c4", "c5"]
    steps = [v for b in batches for v in b.columns["step"].to_pylist()]
    assert steps[3] == "a}{b"
