"""The small simulated brand several end-to-end modules share (run once, in conftest.small_brand)."""

from datetime import date

SMALL_BRAND = {"customers": 300, "days": 21, "seed": 11, "end_date": date(2026, 10, 31)}
SMALL_BRAND_SALT = "e2e-test-salt"
