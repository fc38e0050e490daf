# The README's commands. `make demo` and `make test` work from a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# pytest-xdist workers: the machines this runs on have 2 cores (one worker per core; a night's
# memory is ~1-2 GB, so more workers than cores only adds waiting)
TEST_WORKERS ?= 2

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := False

.PHONY: install demo test test-spark test-fast lint ui ui-demo bench superset-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/siyu demo

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
# Lint first: CI (.ci/run) runs `make test`, so unlinted code fails CI.
# The Spark nights (tests/engines/test_spark_*.py, marked spark_night) are `make test-spark`: a night
# on local Spark is ~15 minutes on 2 cores (a Spark job per data test), over the suite's whole budget.
# `make test` has one Spark build instead: the shared small brand's models in one Spark session, no
# data tests, every table compared with DuckDB's (tests/engines/test_spark_small_brand.py:
# ~160 s of one worker at a load of ~2 here, 368 s at 8-13; docs/engines.md "Proof").
test: install lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -m "not spark_night" --durations=25; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# One brand's nights through the pipeline on DuckDB and on local Spark (Java 17), every table and
# published mart compared (docs/engines.md, "Proof"); and every dbt unit test on Spark
test-spark: install
	$(BIN)/python -m pytest -q -m spark_night --durations=10; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# The development loop (under 2 minutes): unit tests, dbt's unit tests and the manifest's rules;
# not the end-to-end pipeline runs (marked `e2e`) nor the dbt builds on a small warehouse (`build`).
test-fast: install
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -m "not e2e and not build" --durations=15

# Both linters run, and either failing fails the target. sqlfluff reads pyproject.toml (jinja
# templater, no warehouse needed) and skips dbt_project/target; `--processes 0` uses every core.
lint: install
	@rc=0; \
	$(BIN)/ruff check orchestration ingestion simulator identity quality value callbacks pulls bi dashboard engines tests bench || rc=1; \
	$(BIN)/sqlfluff lint dbt_project --processes 0 || rc=1; \
	exit $$rc

ui: install
	$(BIN)/siyu ui

# the UI over the demo's own warehouse (var/demo), with the demo's public salt
ui-demo: install
	$(BIN)/siyu ui --demo

# The self-contained benchmarks (synthetic inputs); the others take a landing or a warehouse:
#   bench/simulate_1m.py, bench/load_landing.py, bench/identity_paths.py, bench/identity_quality.py
bench: install
	$(BIN)/python bench/load_throughput.py
	$(BIN)/python bench/gx_memory.py

# A real BI client on the published copy (README, "Superset"): Superset 6.1 in its own virtualenv
# under var/superset (~900 MB, ~4 min the first time), the bundle bi/superset/bundle imported, every
# chart asked for rows. Not in `make test`: ~1.5 min even once installed. Needs `make demo` first
# (or SIYU_PUBLISHED); `SUPERSET_ARGS=--serve` keeps Superset running to look at the dashboard.
superset-check:
	$(PYTHON) bi/superset/check.py $(SUPERSET_ARGS)

clean:
	rm -rf var dbt_project/target dbt_project/logs
