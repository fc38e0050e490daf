"""Shapes keep every suite rule's verdict and reveal nothing: for each contract, a frame of tricky and
random values is shaped as GxSession shapes it, and each rule (regex, set, row condition) is judged
on both by plain Python `re.search` (GX's pandas `str.contains`) and set membership."""

import random
import re

import pandas as pd
import pytest

from ingestion.contracts import CONTRACTS
from quality.shapes import OTHER, shape
from quality.suites import MATCH, build_suite, columns_needed, rules
from quality.validate import kept_values

# no suite holds an in-set rule today (the loader owns enums); one added later is judged here too
IN_SET = "ExpectColumnValuesToBeInSet"
OPENID = "oU-ZOFJmH7OpplToG45T2cMF-HLf"
HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
OPENIDS = [OPENID, OPENID[:27], OPENID + "x", OPENID[:27] + "张", OPENID[:27] + " ", OPENID[:27] + "\n"]
IDS = ["o" * 28, "_" * 28, "-" * 28, "9" * 28, "wmABCdef_-123", "woXYZ", "wm", "wo", "w", "wx123"]
MORE_IDS = ["Wm123", "wm 12", "wm张", "wmwm", "mw123", "<other>x", "*", "**", "x*"]
PERSONAL = ["13912345678", "+86 139 1234 5678", "139-1234-5678", "110101199003071234", "11010119900307123X"]
HASHES = [HASH, HASH.upper(), HASH[:63], HASH + "0", HASH[:63] + "g"]
TEXT = [
    "张三",
    "张三丰的手机13912345678",
    "上海市浦东新区",
    "",
    " ",
    "   ",
    "\t",
    "\u3000",
    "a\nb",
    "😀",
    "aé",
    "éa",
]
WORDS = ["valid", "placeholder", "VALID", "va", "openid", "external_userid", "phone", "mobile", "send"]
TRICKY = [*OPENIDS, *IDS, *MORE_IDS, *PERSONAL, *HASHES, *TEXT, *WORDS, "recall", "switch"]


def random_strings(n: int, seed: int = 12) -> list[str]:
    """Random strings over the alphabet the rules tell apart, of the lengths they count."""
    rng = random.Random(seed)
    alphabet = "0123456789abcdefxyzABCFXZ_-wmo *.+@张三\n\u3000é😀"
    lengths = [0, 1, 2, 3, 27, 28, 29, 63, 64, 65]
    out = []
    for i in range(n):
        k = rng.choice(lengths) if i % 2 else rng.randint(0, 70)
        s = "".join(rng.choice(alphabet) for _ in range(k))
        if i % 3 == 0:
            s = rng.choice(["wm", "wo", "w", "o", ""]) + s
        if i % 5 == 0:  # mostly valid: a hash or an openid with one character changed
            base = list(rng.choice([HASH, OPENID, HASH.upper()]))
            base[rng.randrange(len(base))] = rng.choice(alphabet)
            s = "".join(base)
        out.append(s)
    return out


CORPUS = TRICKY + random_strings(3000)


def reference_shape(s: str) -> str:
    """The rule of quality/shapes.py, one character at a time (an independent oracle)."""
    out = []
    for i, ch in enumerate(s):
        if i < 2 and ch.isascii() and (ch.isalnum() or ch in "_-"):
            out.append(ch)
        elif "0" <= ch <= "9":
            out.append("9")
        elif "a" <= ch <= "f":
            out.append("a")
        elif "g" <= ch <= "z":
            out.append("x")
        elif "A" <= ch <= "Z":
            out.append("X")
        elif ch in "_- \t\n\r\x0b\x0c":
            out.append(ch)
        else:
            out.append("*")
    return "".join(out)


def test_shapes_follow_the_rule_character_by_character():
    values = pd.Series([*CORPUS, None], dtype="str")
    shaped = shape(values)
    assert shaped.iloc[:-1].tolist() == [reference_shape(s) for s in CORPUS]
    assert shaped.isna().tolist() == values.isna().tolist()
    assert shape(pd.Series(["13912345678", None], dtype=object)).iloc[0] == "13999999999"
    assert shape(pd.Series([1, 2])).tolist() == [1, 2]  # not text: untouched


def test_a_shape_holds_no_more_than_two_characters_of_content():
    for s, shaped in zip(CORPUS, shape(pd.Series(CORPUS, dtype="str")), strict=True):
        assert len(shaped) == len(s)
        assert all(c in "9axX_-*" or c.isspace() for c in shaped[2:])
    assert shape(pd.Series(["13912345678", "110101199003071234"])).tolist() == [
        "13999999999",
        "119999999999999999",
    ]


def _holds(when, frame: pd.DataFrame) -> pd.Series:
    if when is None:
        return pd.Series(True, index=frame.index)
    col, op, value = when
    if op == "all_null":
        return frame[list(col)].isna().all(axis=1)
    values = list(value) if op == "in" else [value]
    return frame[col].isin(values) & frame[col].notna()


def _verdicts(rule, frame: pd.DataFrame) -> list:
    """Per row: does the rule apply, and does the value pass it (None for a null)."""
    applies = _holds(rule.when, frame)
    values = frame[rule.column]
    if rule.expectation == MATCH:
        passed = [None if pd.isna(v) else re.search(rule.args["regex"], str(v)) is not None for v in values]
    else:
        passed = [None if pd.isna(v) else v in rule.args["value_set"] for v in values]
    return list(zip(applies.tolist(), passed, strict=True))


def _frame(contract, size: int, seed: int) -> pd.DataFrame:
    """Every column the suite reads: the corpus, the contract's own values, nulls, shuffled."""
    rng = random.Random(seed)
    own = {r.column: list(r.args.get("value_set", [])) for r in rules(contract) if r.expectation == IN_SET}
    for r in rules(contract):
        if r.when and r.when[1] in ("==", "in"):
            col, op, value = r.when
            own.setdefault(col, []).extend(value if op == "in" else [value])
    columns = {}
    for col in columns_needed(contract):
        numbers = [v for v in own.get(col, []) if not isinstance(v, str)]
        pool = numbers * 50 + [None] if numbers else [*CORPUS, *own.get(col, []) * 50, None, None]
        columns[col] = [rng.choice(pool) for _ in range(size)]
    frame = pd.DataFrame(columns)
    return frame.astype({c: "str" for c in frame.columns if frame[c].map(type).isin([str]).any()})


@pytest.mark.parametrize("key", sorted(CONTRACTS), ids=lambda k: "__".join(k))
def test_every_match_and_set_rule_keeps_its_verdict(key):
    contract = CONTRACTS[key]
    from quality.shapes import shape_frame

    frame = _frame(contract, 4000, seed=len(contract.table))
    shaped = shape_frame(frame, kept_values(build_suite(contract)))
    checked = [r for r in rules(contract) if r.expectation in (MATCH, IN_SET)]
    for rule in checked:
        assert _verdicts(rule, shaped) == _verdicts(rule, frame), (contract.table, rule)
    for col in frame.columns:  # nulls stay null; an identifier column shows no original value
        assert shaped[col].isna().tolist() == frame[col].isna().tolist()
    for rule in checked:
        if rule.expectation == MATCH:
            originals = set(frame[rule.column].dropna()) - {"", " ", "   ", "\t", "\u3000", "*", "**"}
            shown = set(shaped[rule.column].dropna())
            assert not {v for v in originals & shown if len(v) > 2 and reference_shape(v) != v}


def test_a_value_whose_shape_is_a_kept_value_becomes_other():
    values = pd.Series(["ab999", "ab123", "cd123"], dtype="str")
    assert shape(values, {"ab999"}).tolist() == ["ab999", OTHER, "cd999"]
    with pytest.raises(ValueError):
        shape(values, {OTHER})


PHONE, ID_CARD = "13912345678", "110101199003071234"


def test_a_phone_in_an_openid_column_fails_the_check_and_is_kept_nowhere(tmp_path):
    """(An openid column proper never loads one: the loader quarantines it. A test account's id_value
    is judged by its id_type in GX, whose results would keep it.)"""
    from quality_support import DAY, openid, put, warehouse

    from ingestion.contracts import get
    from quality.raw_checks import check_raw

    con = warehouse()
    ok = [{"id_type": "openid", "id_value": openid(i)} for i in range(3, 10)]
    bad = [
        {"id_type": "openid", "id_value": PHONE},
        {"id_type": "openid", "id_value": ID_CARD},
        {"id_type": "external_userid", "id_value": PHONE},
    ]
    put(con, "org", "test_account", ok + bad)
    summaries = check_raw(con, [get("org", "test_account")], DAY, DAY, "run-a", tmp_path / "docs")
    contract = next(s for s in summaries if s.check == "contract")
    assert not contract.passed and contract.blocking_failed
    failed = {f.details["note"]: f.observed for f in contract.findings if not f.success}
    assert failed == {"id format when id_type = openid": 2.0, "id format when id_type = external_userid": 1.0}
    stored = " ".join(map(str, con.execute("select * from quality.validation_results").fetchall()))
    assert "13999999999" in stored and "119999999999999999" in stored  # the shapes, for the operator
    docs = [p.read_text(errors="replace") for p in (tmp_path / "docs").rglob("*") if p.is_file()]
    assert any("13999999999" in text for text in docs)
    for secret in (PHONE, ID_CARD, "12345678", "199003071234"):
        assert secret not in stored
        assert not any(secret in text for text in docs), secret
