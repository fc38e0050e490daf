"""The charts, as Altair (Vega-Lite) specs: Streamlit's frontend bundles Vega-Lite, so they draw
offline, with no script from a CDN."""

from __future__ import annotations

import altair as alt
import pandas as pd

UP, DOWN, TOTAL = "#2e7d32", "#c62828", "#546e7a"
# "客户删除 Lost by customer" as two lines, the Chinese above the English: seven bilingual labels
# side by side fit, and none is dropped for overlapping
TWO_LINES = alt.Axis(labelAngle=0, labelLimit=0, labelExpr=(
    "indexof(datum.label, ' ') < 0 ? datum.label : [substring(datum.label, 0, indexof(datum.label, ' ')), "
    "substring(datum.label, indexof(datum.label, ' ') + 1)]"))


def waterfall_steps(steps: list[tuple[str, float, str]]) -> pd.DataFrame:
    """(label, value, kind) with kind total | up | down → each bar's start and end: a total stands
    on zero, an up step rises from the running level, a down step falls from it."""
    rows, level = [], 0.0
    for label, value, kind in steps:
        start = 0.0 if kind == "total" else level
        end = value if kind == "total" else level + (value if kind == "up" else -value)
        rows.append({"step": label, "start": start, "end": end, "top": max(start, end), "value": value,
                     "kind": kind})
        level = end
    return pd.DataFrame(rows)


def waterfall(steps: list[tuple[str, float, str]], title: str) -> alt.LayerChart:
    data = waterfall_steps(steps)
    base = alt.Chart(data, title=title).encode(x=alt.X("step:N", sort=None, title=None, axis=TWO_LINES))
    bars = base.mark_bar().encode(
        y=alt.Y("start:Q", title=None), y2="end:Q",
        color=alt.Color("kind:N", legend=None,
                        scale=alt.Scale(domain=["total", "up", "down"], range=[TOTAL, UP, DOWN])),
        tooltip=["step", "value"],
    )
    labels = base.mark_text(dy=-7).encode(y="top:Q", text=alt.Text("value:Q", format=",.0f"))
    return (bars + labels).properties(height=260)


def bars(data: pd.DataFrame, x: str, y: str, title: str, color: str | None = None) -> alt.Chart:
    encoding = {"x": alt.X(f"{x}:N", sort=None, title=None, axis=TWO_LINES),
                "y": alt.Y(f"{y}:Q", title=None), "tooltip": list(data.columns)}
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=None)
    return alt.Chart(data, title=title).mark_bar().encode(**encoding).properties(height=280)


def stacked_rows(data: pd.DataFrame, y: str, x: str, color: str, title: str) -> alt.Chart:
    """Horizontal bars, one row per `y` (long names stay readable), stacked by `color`, the largest
    total first."""
    return alt.Chart(data, title=title).mark_bar().encode(
        y=alt.Y(f"{y}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X(f"sum({x}):Q", title=None), color=alt.Color(f"{color}:N", title=None),
        tooltip=list(data.columns),
    ).properties(height=max(120, 24 * data[y].nunique()))


def heatmap(data: pd.DataFrame, x: str, y: str, value: str, title: str) -> alt.LayerChart:
    base = alt.Chart(data, title=title).encode(x=alt.X(f"{x}:O", title=None), y=alt.Y(f"{y}:O", title=None))
    cells = base.mark_rect().encode(color=alt.Color(f"{value}:Q", title=None, legend=alt.Legend(format="%"),
                                                    scale=alt.Scale(scheme="greens")),
                                    tooltip=list(data.columns))
    text = base.mark_text(fontSize=11).encode(text=alt.Text(f"{value}:Q", format=".0%"))
    return (cells + text).properties(height=max(120, 28 * data[y].nunique()))


def line(data: pd.DataFrame, x: str, y: str, title: str) -> alt.Chart:
    return alt.Chart(data, title=title).mark_line(point=False).encode(
        x=alt.X(f"{x}:Q", title=None), y=alt.Y(f"{y}:Q", title=None, axis=alt.Axis(format="%")),
        tooltip=[x, y],
    ).properties(height=280)
