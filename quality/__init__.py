"""Quality checks at the boundary (GX over DataFrames) and the night's doctor."""

import warnings

# GX imports pyspark whenever it is installed (the `spark` extra), and pyspark 4 warns at import that it
# does not yet support pandas 3 — about its own pandas API, which no check here uses. Without this the
# warning lands in every night's console output.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
