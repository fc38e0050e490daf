"""The definitions `siyu ui` (Dagster's webserver and daemon) loads: daily partitions from
the landing folder's first day ($SIYU_LANDING_DIR) to its last or today. `siyu run` builds its own
over the days it loads (orchestration/pipeline.py)."""

import os
from pathlib import Path

from orchestration.defs.build import build_definitions
from orchestration.defs.partitions import landing_partitions

_landing = os.environ.get("SIYU_LANDING_DIR")
defs = build_definitions(landing_partitions(Path(_landing) if _landing else None))
