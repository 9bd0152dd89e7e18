# app_sessions: raw app events in, tested session marts out.
#   make run   build the marts (demo data, or EVENTS_PATH='/data/*.parquet') and print the headline
#   make test  lint, dbt build on messy test data, pytest against the Python reference
#   make spark-test  the same models on Spark (optional requirements-spark.txt, Java 17)
#   make spark-cluster-test  the same on a local standalone Spark cluster, through its Thrift server
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir profiles

DEMO_DIR := data/demo
DEMO_EVENTS ?= 1000000
EVENTS_PATH ?=
EVENTS_FORMAT ?= contract
REPORTING_TIMEZONE ?= UTC
RUN_EVENTS := $(if $(EVENTS_PATH),$(EVENTS_PATH),$(DEMO_DIR)/*.parquet)

# DuckDB uses every core of the machine unless told otherwise; the profile cannot count them,
# so make passes the count (the profile's own default is 2). Set it to override.
ifndef APP_SESSIONS_DUCKDB_THREADS
export APP_SESSIONS_DUCKDB_THREADS := $(shell nproc 2>/dev/null || echo 2)
endif

TEST_DATA := target/test-data
TEST_DB := target/test.duckdb

.PHONY: help venv dev-venv demo run test lint lint-sql lint-python lint-conventions dbt-test browser clients pytest lock clean \
	bench bench-incremental bench-spark-cluster report docs metrics spark-venv spark-test spark-cluster-test lock-dev lock-spark

help:
	@echo "make run    build the session marts and print the headline numbers"
	@echo "            (EVENTS_PATH='/data/*.parquet' for your files, EVENTS_FORMAT=segment|amplitude|"
	@echo "            mixpanel|ga4|posthog for a vendor's export, REPORTING_TIMEZONE=Europe/Berlin,"
	@echo "            FULL_REFRESH=1 to rebuild instead of adding what arrived since the last run)"
	@echo "make test   SQL and Python lint, dbt build on messy test data, pytest"
	@echo "make report write the HTML report of the published marts (after make run)"
	@echo "make docs   the dbt docs site as one static file, target/static_index.html"
	@echo "make metrics METRICS=sessions_per_user GROUP_BY=metric_time__week  query a metric"
	@echo "make demo   generate the demo events only (DEMO_EVENTS=$(DEMO_EVENTS))"
	@echo "make spark-test  build on Spark and compare every output table with the DuckDB build"
	@echo "make spark-cluster-test  the same on a standalone Spark cluster (master, 2 workers, Thrift)"

# The virtual environment, from the locked requirements; rebuilt when they change.
$(BIN)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

venv: $(BIN)/.installed

# The developer's tools (lint, tests, BI clients, the benchmark) on top of the product's
# packages; -c keeps every pin of requirements.txt as it is. make run never installs them.
$(BIN)/.dev-installed: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements.txt -r requirements-dev.txt
	@touch $@

dev-venv: $(BIN)/.dev-installed

$(DEMO_DIR)/.complete: | venv
	$(BIN)/python scripts/generate_events.py --events $(DEMO_EVENTS) --out $(DEMO_DIR)
	@touch $@

demo: $(DEMO_DIR)/.complete

# A production run: models and data tests; the unit tests (fixed inputs, no warehouse data)
# prove the SQL, not the data, and run in make test.
run: venv $(if $(EVENTS_PATH),,demo)
	@if [ "$(EVENTS_FORMAT)" != contract ] && [ -z "$(EVENTS_PATH)" ]; then \
		echo "EVENTS_FORMAT=$(EVENTS_FORMAT) reads your export: set EVENTS_PATH too, e.g." \
			"make run EVENTS_FORMAT=$(EVENTS_FORMAT) EVENTS_PATH='/data/export/*.gz'" \
			"(docs/from-your-analytics-tool.md)"; exit 2; fi
	$(DBT) build $(DBT_FLAGS) $(if $(FULL_REFRESH),--full-refresh) --exclude-resource-type unit_test \
		--vars '{"events_path": "$(RUN_EVENTS)", "events_format": "$(EVENTS_FORMAT)", "reporting_timezone": "$(REPORTING_TIMEZONE)"}'
	$(BIN)/python scripts/summarize.py

lint-sql: dev-venv
	APP_SESSIONS_DB=target/lint.duckdb $(BIN)/sqlfluff lint models tests

lint-python: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The project's conventions (dbt-bouncer.yml) on the manifest dbt parse writes.
lint-conventions: dev-venv
	APP_SESSIONS_DB=target/lint.duckdb $(DBT) parse $(DBT_FLAGS) --quiet
	$(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml

lint: lint-sql lint-python lint-conventions

# dbt build (models, data tests, unit tests) on a seeded messy event set.
dbt-test: venv
	$(BIN)/python -m tests.messy_events --seed 1 --format ndjson --out $(TEST_DATA)
	rm -f $(TEST_DB)
	APP_SESSIONS_DB=$(TEST_DB) $(DBT) build $(DBT_FLAGS) \
		--vars '{"events_path": "$(TEST_DATA)/*.ndjson", "reporting_timezone": "America/New_York"}'
	APP_SESSIONS_DB=$(TEST_DB) $(DBT) test $(DBT_FLAGS) --select tag:needs_built_model \
		--vars '{"events_path": "$(TEST_DATA)/*.ndjson", "reporting_timezone": "America/New_York"}'

# The suite's tests run dbt in cold processes, each busy on about one core: one pytest worker
# per core, at most 4 (each worker runs its own dbt and DuckDB). PYTEST_WORKERS=0 runs them in
# one process, one after the other. `worksteal` hands the remaining tests to whichever worker
# is idle, so the long incremental tests overlap.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
pytest: dev-venv
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal tests

# The report is checked in a real browser (tests/test_report.py): Debian's chromium, installed
# here when the machine has none (as root, or with sudo), so a fresh machine with Python and
# make passes make test. Playwright drives it and never downloads a browser of its own.
browser:
	@command -v chromium > /dev/null || { \
		command -v apt-get > /dev/null || { echo "make test checks the report in Chromium:" \
			"install it (Debian/Ubuntu: apt-get install chromium) and run make test again"; exit 1; }; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium; }

# The BI clients tests/test_bi_clients.py reads the published file with: Evidence's DuckDB
# connector (npm, bundles DuckDB 1.4), every version pinned in tests/clients/package.json
# (no lockfile: it would record the registry's addresses); the DuckDB CLI (PyPI, 1.5) comes
# with requirements-dev.txt.
tests/clients/node_modules/.installed: tests/clients/package.json
	@command -v npm > /dev/null || { echo "make test reads the published file with Evidence's" \
		"DuckDB connector: install Node.js 20 (with npm) and run make test again"; exit 1; }
	npm install --prefix tests/clients
	@touch $@

clients: tests/clients/node_modules/.installed

test: lint dbt-test browser clients pytest

# Re-lock requirements.txt from requirements.in in a throwaway venv.
lock:
	rm -rf /tmp/app-sessions-lock && $(PYTHON) -m venv /tmp/app-sessions-lock
	/tmp/app-sessions-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Locked from requirements.in with: make lock (pip freeze of a fresh venv). Python 3.11."; \
	  /tmp/app-sessions-lock/bin/pip freeze | sort -f; } > requirements.txt

# Re-lock requirements-dev.txt: the packages requirements-dev.in adds to requirements.txt.
lock-dev:
	rm -rf /tmp/app-sessions-lock-dev && $(PYTHON) -m venv /tmp/app-sessions-lock-dev
	/tmp/app-sessions-lock-dev/bin/pip install --quiet -r requirements.txt
	/tmp/app-sessions-lock-dev/bin/pip freeze | sort -f > /tmp/app-sessions-lock-dev/base.txt
	/tmp/app-sessions-lock-dev/bin/pip install --quiet -c requirements.txt -r requirements-dev.in
	{ echo "# Locked from requirements-dev.in with: make lock-dev (what it adds to requirements.txt,"; \
	  echo "# pip freeze of a fresh venv). Python 3.11. Install on top of requirements.txt."; \
	  /tmp/app-sessions-lock-dev/bin/pip freeze | sort -f \
	    | grep -vxF -f /tmp/app-sessions-lock-dev/base.txt; } > requirements-dev.txt

# The report of the published marts: one self-contained HTML file (opens offline).
# SCREENSHOT=docs/images/report.png also renders its first screen in headless Chromium.
REPORT_DB ?= published/app_sessions.duckdb
REPORT_OUT ?= target/report/app_sessions_report.html
report: venv $(if $(SCREENSHOT),dev-venv)
	$(BIN)/python scripts/report.py --db $(REPORT_DB) --out $(REPORT_OUT) \
		$(if $(SCREENSHOT),--screenshot $(SCREENSHOT))

# The lineage and column docs as one HTML file (needs the warehouse of make run).
docs: venv
	$(DBT) docs generate $(DBT_FLAGS) --static --vars '{"events_path": "$(RUN_EVENTS)", "events_format": "$(EVENTS_FORMAT)"}'
	@echo "open target/static_index.html"

# A metric of the semantic layer from the published file of make run (docs/metrics.md).
METRICS ?= sessions,active_users,sessions_per_user
GROUP_BY ?= metric_time__week
metrics: venv
	DBT_PROFILES_DIR=profiles APP_SESSIONS_TARGET=published $(BIN)/mf query --metrics $(METRICS) --group-by $(GROUP_BY) \
		--order $(GROUP_BY)

# The Spark target's packages (dbt-spark, pyspark), on top of requirements.txt and
# requirements-dev.txt; -c keeps every pin of both as it is.
$(BIN)/.spark-installed: $(BIN)/.dev-installed requirements-spark.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements.txt -c requirements-dev.txt -r requirements-spark.txt
	@touch $@

spark-venv: $(BIN)/.spark-installed

# The same models on Spark (dbt-spark session method, Java 17): a build from the messy event
# set of dbt-test equals the DuckDB build table by table; incremental runs equal a full refresh.
spark-test: spark-venv
	@command -v java >/dev/null || { echo "make spark-test needs Java 17: apt-get install -y openjdk-17-jre-headless"; exit 1; }
	APP_SESSIONS_SPARK_TESTS=1 $(BIN)/python -m pytest -q -s --durations=0 tests/spark

# The same models on a real cluster: a standalone Spark master, two workers and a Thrift
# server, each its own JVM on 127.0.0.1, reached through the spark_thrift target (dbt-spark's
# thrift method); every output table equals the DuckDB build after a full build and after
# incremental runs with late and re-delivered files. Stops every process it started.
spark-cluster-test: spark-venv
	@command -v java >/dev/null || { echo "make spark-cluster-test needs Java 17: apt-get install -y openjdk-17-jre-headless"; exit 1; }
	APP_SESSIONS_SPARK_TESTS=1 $(BIN)/python -m pytest -q -s --durations=0 tests/spark_cluster

# Re-lock requirements-spark.txt: the packages requirements-spark.in adds to requirements.txt
# and requirements-dev.txt (its tests run with pytest).
lock-spark:
	rm -rf /tmp/app-sessions-lock-spark && $(PYTHON) -m venv /tmp/app-sessions-lock-spark
	/tmp/app-sessions-lock-spark/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt
	/tmp/app-sessions-lock-spark/bin/pip freeze | sort -f > /tmp/app-sessions-lock-spark/base.txt
	/tmp/app-sessions-lock-spark/bin/pip install --quiet -c requirements.txt -c requirements-dev.txt \
		-r requirements-spark.in
	{ echo "# Locked from requirements-spark.in with: make lock-spark (what it adds to requirements.txt"; \
	  echo "# and requirements-dev.txt, pip freeze of a fresh venv). Python 3.11. Install on top of both."; \
	  /tmp/app-sessions-lock-spark/bin/pip freeze | sort -f \
	    | grep -vxF -f /tmp/app-sessions-lock-spark/base.txt; } > requirements-spark.txt

clean:
	rm -rf target logs $(TEST_DATA)

# dbt build vs the floor SQL script, Polars, pandas, scan and sort (not part of make test);
# writes docs/benchmarks.md. BENCH_SIZES='1000000 10000000 100000000' BENCH_FLAGS='--memory-limit
# 16GB' measures every target, as docs/benchmarks.md shows (about 45 minutes);
# BENCH_FLAGS=--keep-dbt-warehouse keeps each size's build for benchmark/explain_model.py.
BENCH_SIZES ?= 1000000 10000000
BENCH_REPEATS ?= 3
BENCH_FLAGS ?=
bench: dev-venv
	$(BIN)/python -m benchmark.run --events $(BENCH_SIZES) --repeats $(BENCH_REPEATS) $(BENCH_FLAGS)

# Incremental run vs full build at growing history sizes (not part of make test).
BENCH_EVENTS ?= 1000000 10000000
bench-incremental: dev-venv
	$(BIN)/python -m benchmark.incremental --events $(BENCH_EVENTS)

# The build on a standalone Spark cluster with one and with two workers, on the test set and
# 10M events (not part of make test); writes docs/spark-cluster-benchmark.md.
bench-spark-cluster: spark-venv
	$(BIN)/python -m benchmark.spark_cluster
