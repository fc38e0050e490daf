"""The definitions `siyu serve` loads (production): those of orchestration/definitions.py with the
nightly schedule (02:00 Beijing) and the landing sensor running from the start."""

import os
from pathlib import Path

from orchestration.defs.build import build_definitions
from orchestration.defs.partitions import landing_partitions

_landing = os.environ.get("SIYU_LANDING_DIR")
defs = build_definitions(landing_partitions(Path(_landing) if _landing else None), automation=True)
