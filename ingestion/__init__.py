"""Landing files into schema `raw`, in plain Python (no Dagster), one package per stage:
contracts/ (what lands) -> landing/ (the folder, what changed) -> read/ (files to raw batches) ->
normalise/ (typed columns, quarantine reasons) -> write/ (schema raw, one transaction's writer);
load/ runs a load through them, erasure/ keeps people erased on request out."""
