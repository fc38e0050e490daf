"""forget's search of the landing folder finds a person's values in every encoding a landing file may
have (ingestion/read/encoding.py): UTF-8, GB18030 and UTF-16 of either byte order."""

from orchestration.forget_scan import file_hits, files_holding

NEEDLES = ["oXyZ_unionid_0001", "张三丰"]


def test_each_encoding_of_a_landing_file_is_searched(tmp_path):
    line = '{"unionid": "oXyZ_unionid_0001", "name": "张三丰"}\n'
    encoded = {
        "utf8.jsonl": line.encode("utf-8"), "gb.csv": line.encode("gb18030"),
        "le.jsonl": line.encode("utf-16"), "be.jsonl": b"\xfe\xff" + line.encode("utf-16-be"),
    }
    for name, data in encoded.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "other.jsonl").write_bytes('{"unionid": "oOther"}\n'.encode("utf-16"))
    assert files_holding(tmp_path, NEEDLES) == sorted(encoded)
    (tmp_path / "name_only.csv").write_bytes("李四,张三丰\n".encode("utf-16"))
    assert file_hits(tmp_path / "name_only.csv", NEEDLES)
    assert not file_hits(tmp_path / "other.jsonl", NEEDLES)
