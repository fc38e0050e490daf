"""The short summary `siyu run` and `siyu demo` print, read from the published marts."""

from __future__ import annotations

import duckdb
from rich.console import Console
from rich.table import Table

from orchestration.settings import Settings

HEADLINES = {
    "customers": "select count(*) from marts.user_assets",
    "reachable customers": "select count(*) filter (where is_reachable) from marts.user_assets",
    "customers' purchases": "select coalesce(sum(orders_count), 0) from marts.user_assets",
    "customers' net revenue (元)": "select coalesce(sum(net_revenue), 0) from marts.user_assets",
    # daily_kpis also counts the store receipts that name nobody, over the loaded days only (user_assets
    # holds all history: an order paid before the first landing day is a customer's, on no KPI day)
    "all purchases, loaded days": "select coalesce(sum(purchases), 0) from marts.daily_kpis",
    "all net revenue, loaded days (元)": "select coalesce(sum(net_revenue), 0) from marts.daily_kpis",
}


def headline_figures(published_path) -> dict[str, object]:
    figures: dict[str, object] = {}
    with duckdb.connect(str(published_path), read_only=True) as con:
        for label, sql in HEADLINES.items():
            try:
                figures[label] = con.execute(sql).fetchone()[0]
            except duckdb.CatalogException:
                figures[label] = None
    return figures


def _days(days) -> str:
    """2026-10-03, 2026-10-06..2026-10-07: consecutive days as ranges."""
    runs: list[list] = []
    for day in days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def print_night(night) -> None:
    """Which days tonight loaded, how many were unchanged, and whether anything ran."""
    plan = getattr(night, "plan", None)
    if plan is None:
        return
    console = Console()
    loaded, unchanged = plan.loaded_days, plan.unchanged_days
    if not night.ran:
        console.print(f"nothing new or changed in the landing folder ({_n(len(unchanged), 'day')} "
                      "unchanged): "
                      f"loading, dbt, identity and publishing skipped ({night.seconds:.1f} s)")
        return
    what = {"changed": "new or changed", "full refresh": "full refresh", "window": "the window"}[plan.reason]
    if loaded:
        console.print(f"loaded {_n(len(loaded), 'day')} ({what}: {_n(len(plan.load), 'day folder')}): "
                      f"{_days(loaded)}")
    else:
        console.print("no day folder loaded: rebuilt the marts from the warehouse's raw tables")
    if plan.retired:
        console.print(f"{_n(len(plan.retired), 'day folder')} before the retention boundary not loaded")
    console.print(f"{_n(len(unchanged), 'day')} unchanged, left as loaded before"
                  + ("; dbt re-parsed the project" if night.parsed else "")
                  + f" ({night.seconds:.0f} s)")


def print_summary(settings: Settings, ui: str = "siyu ui", log=None) -> None:
    console = Console(soft_wrap=True)
    if log is not None:
        console.print(f"\nthe run's full log (every Dagster and dbt line): {log}", highlight=False)
    console.print(f"\nwarehouse (pipeline writes): {settings.warehouse}")
    if not settings.published.exists():
        console.print("no published marts yet: the run did not reach the publish step")
        return
    console.print(f"published marts (BI tools read): {settings.published}  — schema `marts`")
    console.print(f"Dagster UI over the same definitions: `{ui}`, http://localhost:3000")
    dashboard = ui.replace("siyu ui", "siyu dashboard")  # `siyu ui --demo` → `siyu dashboard --demo`
    console.print(f"operators' dashboard over the published marts: `{dashboard}`, http://localhost:8501")
    table = Table(title="Siyu summary")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for label, value in headline_figures(settings.published).items():
        table.add_row(label, "—" if value is None else f"{value:,}")
    console.print(table)


def print_stopped(settings: Settings) -> None:
    """After a failed run: the blocking checks that stopped it, and what BI tools still see."""
    from quality.doctor import blocking_lines

    console = Console(stderr=True)
    console.print("\n[bold red]The run stopped before the marts changed.[/]")
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            lines = blocking_lines(con)
    except duckdb.Error as exc:
        lines = [f"(could not read the checks: {exc})"]
    for line in lines or ["no blocking boundary check failed: see the step that FAILED above (its "
                          "traceback and dbt's lines are in the run's log)"]:
        console.print(f"  {line}", markup=False, highlight=False)
    if settings.published.exists():
        console.print(f"BI tools still read the previous marts: {settings.published}")
    console.print("Details: `siyu doctor`; quality.validation_results in the warehouse.")
