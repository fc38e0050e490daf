"""The bad-input catalogue, part 1: encodings, file formats and shapes, folders, and phones."""

from openpyxl import Workbook
from test_loader_support import SALT, T0, csv_text, header, land, load, rows

from ingestion.normalise.phones import hash_phone

TRADE = header("tmall", "trade")
RECEIPT = header("pos", "receipt")


def test_gbk_tmall_export_with_excel_text_ids_and_yuan(tmp_path, con):
    text = csv_text(
        TRADE,
        [
            [
                '="2024050112345"',
                "张三",
                "12.50元",
                '"1,012.50元"',
                '"买家已付款,等待卖家发货"',
                "2024-05-01 10:00:00",
                "2024/05/01 10:05",
                "138****5678",
                " 0 ",
                "连衣裙",
                "1",
            ],
            [
                "2024050112346",
                "李四",
                "9.9",
                "9.90",
                "等待买家付款",
                "2024-05-01 11:00:00",
                "",
                "",
                "0.00",
                "T恤",
                "2",
            ],
        ],
    )
    land(tmp_path, "tmall", "trade", "ExportOrderList.csv", text, encoding="gbk")
    r = load(con, tmp_path, "tmall", "trade")
    assert (r.rows_loaded, r.quarantined) == (2, 0) and r.files[0].encoding == "gb18030"
    got = rows(
        con,
        "select order_no, buyer_nick, payable_amount::varchar p, paid_amount::varchar a, order_status, "
        "created_at::varchar c, paid_at::varchar pa, receiver_phone_kind k, "
        "refund_amount::varchar rf from raw.tmall__trade order by order_no",
    )
    assert got[0] == {
        "order_no": "2024050112345",
        "buyer_nick": "张三",
        "p": "12.50",
        "a": "1012.50",
        "order_status": "买家已付款,等待卖家发货",
        "c": got[0]["c"],
        "pa": got[0]["pa"],
        "k": "masked",
        "rf": "0.00",
    }
    assert con.execute(
        "select epoch(created_at), epoch(paid_at) from raw.tmall__trade order by order_no"
    ).fetchone() == (T0, T0 + 300)
    assert got[1]["pa"] is None and got[1]["k"] == "empty"


def test_utf8_bom_file(tmp_path, con):
    land(
        tmp_path,
        "org",
        "store",
        "store.csv",
        b"\xef\xbb\xbf"
        + csv_text(
            ["store_code", "store_name", "city", "region", "open_date"],
            [["S001", "南京西路店", "上海", "华东", "2019/3/8"]],
        ).encode(),
    )
    r = load(con, tmp_path, "org", "store")
    assert r.rows_loaded == 1 and r.files[0].encoding == "utf-8-sig"
    assert con.execute("select store_code, open_date::varchar from raw.org__store").fetchone() == (
        "S001",
        "2019-03-08",
    )


def test_xlsx_pos_receipts(tmp_path, con):
    wb = Workbook()
    wb.active.append(RECEIPT)
    wb.active.append(["S001", "R1", "2024-05-01 10:00:00", "VIP1", 13812345678, 99.5, 0, "C01", None, 0])
    wb.active.append(["S001", "R2", "2024-05-01 11:00:00", None, None, -99.5, 0, "C01", "R1", 1])
    path = tmp_path / "pos" / "receipt" / "2024-05-01" / "receipts.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    r = load(con, tmp_path, "pos", "receipt")
    assert r.rows_loaded == 2 and r.files[0].encoding == "xlsx"
    got = con.execute(
        "select receipt_no, amount::varchar, phone_hash, is_late_swipe, epoch(traded_at) "
        "from raw.pos__receipt order by receipt_no"
    ).fetchall()
    assert got == [
        ("R1", "99.50", hash_phone("+8613812345678", SALT), False, T0),
        ("R2", "-99.50", None, True, T0 + 3600),
    ]


def test_masked_encrypted_and_differently_written_phones(tmp_path, con):
    land(
        tmp_path,
        "pos",
        "member",
        "m.csv",
        csv_text(
            ["会员卡号", "手机号", "姓名", "生日", "注册门店", "注册时间", "专属导购"],
            [
                ["V1", "13812345678", "王一", "", "S1", "2024-05-01 10:00:00", ""],
                ["V2", "+86 138 1234 5678", "王二", "", "S1", "2024-05-01 10:00:00", ""],
                ["V3", "86-13812345678", "王三", "", "S1", "2024-05-01 10:00:00", ""],
                ["V4", "138****5678", "王四", "", "S1", "2024-05-01 10:00:00", ""],
                ["V5", "$Ma8eMM7zwRiUVg3asz4KQ$", "王五", "", "S1", "2024-05-01 10:00:00", ""],
                ["V6", "13800138000", "王六", "", "S1", "2024-05-01 10:00:00", ""],
            ],
        ),
    )
    load(con, tmp_path, "pos", "member")
    got = con.execute(
        "select card_no, phone_hash, phone_kind from raw.pos__member order by card_no"
    ).fetchall()
    h = hash_phone("+8613812345678", SALT)
    assert got == [
        ("V1", h, "valid"),
        ("V2", h, "valid"),
        ("V3", h, "valid"),
        ("V4", None, "masked"),
        ("V5", None, "encrypted"),
        ("V6", hash_phone("+8613800138000", SALT), "placeholder"),
    ]
