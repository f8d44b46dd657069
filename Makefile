# The verbs people use. `make run` and `make test` set everything up from nothing first.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DB      ?= data/cchc.duckdb
PORT    ?= 8501
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser run db test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# Debian's Chromium: the real-browser tests and Plotly's PNG/SVG/PDF export use it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (browser tests, image export)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# The database is rebuilt when it is missing or older than the reports or the extractor
# (dashboard/data.py: ensure_database, the one place that decides it).
export CCHC_DB = $(abspath $(DB))

db: setup
	$(BIN)/python -m dashboard.data

run: db
	-@$(MAKE) --no-print-directory browser || echo "No Chromium: the dashboard still exports HTML, CSV and XLSX."
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT) --server.headless true \
	  --browser.gatherUsageStats false --client.toolbarMode viewer

lint: setup
	$(BIN)/ruff check .

test: setup browser lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench_etl.py
	$(BIN)/python benchmarks/bench_dashboard.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache test-artifacts
