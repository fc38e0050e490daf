"""int_identity__pairs' incremental branch reads each origin's watermark from a list of origins
(a scalar subquery an origin, which DuckDB's planner counts as one row). An origin a branch writes
but the list lacks would have no watermark: its records recomputed every night, but the versions a
re-delivered day took away never found. The list is derived from the `branches` table the union is
written from, so every origin must come from that table: none written by a branch of its own."""

import re
from pathlib import Path

MODEL = (Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "intermediate" / "identity"
         / "int_identity__pairs.sql")
ORIGIN = re.compile(r"'([a-z_]+/[a-z_]+)'")


def test_every_origin_the_model_names_is_a_branch_of_the_table_the_watermarks_list():
    text = MODEL.read_text(encoding="utf-8")
    table = re.search(r"\{%-? set branches = \[(.*?)\] -?%\}", text, re.DOTALL)
    assert table, "int_identity__pairs no longer sets its `branches` table"
    in_table = set(re.findall(r"'origin': '([a-z_]+/[a-z_]+)'", table.group(1)))
    elsewhere = set(ORIGIN.findall(text[:table.start()] + text[table.end():]))
    assert elsewhere <= in_table, f"origins outside the branches table: {elsewhere - in_table}"
    assert len(in_table) >= 15  # oa, mp, wecom, fission, orders, members, leads: one or more each
    assert re.search(r"\{%-? set origins = branches \| map\(attribute='origin'\) \| unique", text)
    assert "{%- for branch in branches %}" in text[text.index("pairs as {{"):text.index("watermarks as (")]


def test_every_origin_in_the_list_gets_a_watermark():
    text = MODEL.read_text(encoding="utf-8")
    watermarks = text[text.index("watermarks as ("):text.index("relanded as (")]
    assert "{%- for origin in origins %}" in watermarks and "'{{ origin }}' as origin" in watermarks
