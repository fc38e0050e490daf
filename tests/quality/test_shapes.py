"""Shapes keep every suite rule's verdict and reveal nothing: for each contract with a suite, a frame
of tricky and random values is shaped as GxSession shapes it, and each rule (bounds, set, row
condition) is judged on both by plain Python. The character rule itself is checked against an
independent oracle (quality.shapes also shapes the values quarantine and repeat findings show)."""

import random

import pandas as pd
import pytest

from ingestion.contracts import CONTRACTS
from quality.shapes import OTHER, shape
from quality.suites import BETWEEN, build_suite, columns_needed, rules
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


def _verdicts(rule, frame: pd.DataFrame) -> list:
    """Per row: does the rule apply (its row condition: the named columns all null), and does the value
    pass it (None for a null)."""
    applies = frame[list(rule.when[0])].isna().all(axis=1) if rule.when else pd.Series(True, frame.index)
    values = frame[rule.column]
    if rule.expectation == BETWEEN:
        passed = [None if pd.isna(v) else float(v) >= rule.args["min_value"] for v in values]
    else:  # in a set
        passed = [None if pd.isna(v) else v in rule.args["value_set"] for v in values]
    return list(zip(applies.tolist(), passed, strict=True))


def _frame(contract, size: int, seed: int) -> pd.DataFrame:
    """Every column the suite reads: the corpus and the contract's own values for text, amounts of
    either sign for money, nulls, shuffled."""
    rng = random.Random(seed)
    own = {r.column: list(r.args.get("value_set", [])) for r in rules(contract) if r.expectation == IN_SET}
    money = {r.column for r in rules(contract) if r.expectation == BETWEEN}
    columns = {}
    for col in columns_needed(contract):
        pool = AMOUNTS if col in money else [*CORPUS, *own.get(col, []) * 50, None, None]
        columns[col] = [rng.choice(pool) for _ in range(size)]
    frame = pd.DataFrame(columns)
    return frame.astype({c: "str" for c in frame.columns if frame[c].map(type).isin([str]).any()})


AMOUNTS = [-99.0, -0.01, 0.0, 0.01, 99.0, None]
WITH_RULES = [k for k in sorted(CONTRACTS) if rules(CONTRACTS[k])]


@pytest.mark.parametrize("key", WITH_RULES, ids=lambda k: "__".join(k))
def test_every_rule_keeps_its_verdict(key):
    contract = CONTRACTS[key]
    from quality.shapes import shape_frame

    frame = _frame(contract, 4000, seed=len(contract.table))
    shaped = shape_frame(frame, kept_values(build_suite(contract)))
    for rule in rules(contract):
        verdicts = _verdicts(rule, frame)
        assert {v for _, v in verdicts} >= {True, False} and {a for a, _ in verdicts} == {True, False}
        assert _verdicts(rule, shaped) == verdicts, (contract.table, rule)
    for col in frame.columns:  # nulls stay null; a text column (not lineage) shows no original value
        assert shaped[col].isna().tolist() == frame[col].isna().tolist()
        if frame[col].dtype == "str" and not col.startswith("_"):
            originals = set(frame[col].dropna()) - {"", " ", "   ", "\t", "\u3000", "*", "**"}
            shown = set(shaped[col].dropna())
            assert not {v for v in originals & shown if len(v) > 2 and reference_shape(v) != v}


def test_a_value_whose_shape_is_a_kept_value_becomes_other():
    values = pd.Series(["ab999", "ab123", "cd123"], dtype="str")
    assert shape(values, {"ab999"}).tolist() == ["ab999", OTHER, "cd999"]
    with pytest.raises(ValueError):
        shape(values, {OTHER})
