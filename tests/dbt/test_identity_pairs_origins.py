"""int_identity__pairs' incremental branch reads each origin's watermark from a list of origins
(a scalar subquery an origin, which DuckDB's planner counts as one row). An origin a branch writes
but the list lacks would have no watermark: its records recomputed every night, but the versions a
re-delivered day took away never found. The list must name exactly the origins the branches write."""

import re
from pathlib import Path

MODEL = (Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "intermediate" / "identity"
         / "int_identity__pairs.sql")
ORIGIN = re.compile(r"'([a-z_]+/[a-z_]+)'")


def test_the_watermark_list_names_every_origin_the_branches_write():
    text = MODEL.read_text(encoding="utf-8")
    listed_block = re.search(r"\{%-? set origins = \[(.*?)\] -?%\}", text, re.DOTALL)
    assert listed_block, "int_identity__pairs no longer sets its `origins` list"
    listed = ORIGIN.findall(listed_block.group(1))
    written = set(ORIGIN.findall(text[:listed_block.start()] + text[listed_block.end():]))
    assert len(listed) == len(set(listed)), "an origin is listed twice"
    assert set(listed) == written
    assert len(written) >= 15  # oa, mp, wecom, fission, orders, members, leads: one or more each


def test_every_origin_in_the_list_gets_a_watermark():
    text = MODEL.read_text(encoding="utf-8")
    watermarks = text[text.index("watermarks as ("):text.index("relanded as (")]
    assert "{%- for origin in origins %}" in watermarks and "'{{ origin }}' as origin" in watermarks
