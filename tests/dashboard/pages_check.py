"""Every page of the dashboard over a real published copy: no exception, no error, no section saying it
has no rows, every table and chart with rows. Used by tests/e2e/test_dashboard_pages.py on the
shared small brand, and by hand on any copy:

    PYTHONPATH=. python tests/dashboard/pages_check.py var/demo/warehouse.published.duckdb
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = ["assets", "guides", "funnel", "rfm", "channels", "cohorts", "fission", "quality"]


def check_pages(published: Path) -> dict[str, dict[str, int]]:
    """{page: {"tables": n, "rows": rows in its tables, "charts": n, "metrics": n}}; raises
    AssertionError naming the page and what is wrong."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
    from streamlit.testing.v1 import AppTest

    os.environ["SIYU_DASHBOARD_PUBLISHED"] = str(published)
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    seen = {}
    for page in PAGES:
        app.sidebar.radio(key="page").set_value(page).run()
        problems = [e.value for e in [*app.exception, *app.error]]
        problems += [f"says: {i.value}" for i in app.info]
        tables = [d.value for d in app.dataframe]
        problems += [f"an empty table with columns {list(t.columns)}" for t in tables if t.empty]
        charts = [convert_arrow_bytes_to_pandas_df(d.data.data)
                  for c in app.get("vega_lite_chart") for d in c.proto.datasets]
        problems += ["an empty chart" for c in charts if c.empty]
        assert not problems and (tables or app.metric), f"page {page}: {problems or 'nothing shown'}"
        seen[page] = {"tables": len(tables), "rows": sum(len(t) for t in tables), "charts": len(charts),
                      "metrics": len(app.metric)}
        if page in AGREE:
            AGREE[page](app, published)
    return seen


def _assets_agree(app, published: Path) -> None:
    """Over every loaded day, each touchpoint's closing on the statement is the customers held now on
    it (both are the state at the end of the latest loaded day, from two marts)."""
    closing = tables_with(app, "期末 Closing")["期末 Closing"]
    held = {m.label: int(m.value.replace(",", "")) for m in app.metric}
    for touchpoint, label in (("wecom", "企业微信 WeCom"), ("oa", "公众号 Official Account"),
                              ("group", "社群 Groups"), ("any", "可触达 Reachable")):
        shown = label if touchpoint != "any" else "任一触点 Any touchpoint"
        assert closing[shown] == held[label], f"{touchpoint}: statement {closing[shown]}, held {held[label]}"


def _rfm_agrees(app, published: Path) -> None:
    """The grid's customers add up to rfm_segment_summary's for the latest as-of date."""
    import duckdb

    with duckdb.connect(str(published), read_only=True) as con:
        (expected,) = con.execute(
            "select sum(customers) from marts.rfm_segment_summary where segment_scheme = 'cn' "
            "and as_of_date = (select max(as_of_date) from marts.rfm_segment_summary)").fetchone()
    grid = tables_with(app, "价值 R高F高 Value R+F+")
    assert int(grid.values.sum()) == expected, (int(grid.values.sum()), expected)


def tables_with(app, column: str):
    return next(d.value for d in app.dataframe if column in d.value.columns)


AGREE = {"assets": _assets_agree, "rfm": _rfm_agrees}


if __name__ == "__main__":
    for name, figures in check_pages(Path(sys.argv[1]).resolve()).items():
        print(f"{name:<9} {figures}")
