"""The small simulated brand several end-to-end modules share (run once, in conftest.small_brand),
and how a test points the environment at a brand."""

from datetime import date

SMALL_BRAND = {"customers": 300, "days": 21, "seed": 11, "end_date": date(2026, 10, 31)}
SMALL_BRAND_SALT = "e2e-test-salt"


def point_at(mp, landing, root, salt: str):
    """The Settings of a brand living under `root`, the environment (`mp`, a pytest MonkeyPatch)
    pointing at it: dbt, a subprocess, reads the same variables."""
    from orchestration.settings import Settings

    mp.setenv("SIYU_LANDING_DIR", str(landing))
    mp.setenv("SIYU_WAREHOUSE", str(root / "warehouse.duckdb"))
    mp.setenv("SIYU_PHONE_SALT", salt)
    mp.delenv("SIYU_PUBLISHED", raising=False)
    settings = Settings.from_env()
    settings.export()
    return settings
