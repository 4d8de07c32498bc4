# esensi / rlib — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: help install demo serve test check lint fmt types contracts gen gen-check bench bench-sqlite bench-mail bench-ws bench-import battery

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'

install: ## install uv (from PyPI) and the workspace with its locked dependencies
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --all-packages --frozen --quiet

demo: install ## migrate the embedded SQLite database, load demo data, serve on http://127.0.0.1:8000 (Midtrans: the local stand-in on :8021)
	$(RUN) esensi db upgrade
	$(RUN) esensi seed --demo
	@$(RUN) esensi midtrans-standin --port 8021 & standin=$$!; trap 'kill $$standin' EXIT; \
	for _ in $$(seq 300); do curl -s -o /dev/null http://127.0.0.1:8021/ && break; sleep 0.2; done; \
	ESENSI_MIDTRANS__SNAP_URL=$${ESENSI_MIDTRANS__SNAP_URL:-http://127.0.0.1:8021/snap/v1} \
	ESENSI_MIDTRANS__API_URL=$${ESENSI_MIDTRANS__API_URL:-http://127.0.0.1:8021} \
	$(RUN) esensi serve

test: install ## run the whole suite (SQLite; PostgreSQL too when ESENSI_TEST_DATABASE_URL is set)
	@$(RUN) pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests were collected"; exit 0; fi; exit $$rc

lint: install ## ruff format check and lint
	$(RUN) ruff format --check .
	$(RUN) ruff check .

fmt: install ## format and auto-fix with ruff
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

types: install ## mypy strict on rlib and esensi
	$(RUN) mypy

contracts: install ## import-linter dependency contracts
	$(RUN) lint-imports

check: lint types contracts test ## lint + types + import contracts + tests

gen: install ## write clients/typescript/ (registry.ts, openapi.json, typed client) from the registry
	$(RUN) esensi gen

gen-check: install ## fail naming each generated file that differs from the registry
	$(RUN) esensi gen --check

bench: install ## benchmark H/O/F/P on PostgreSQL (ONLY=a1,c SERVER=granian); writes bench/results/
	@$(UV) sync --all-packages --frozen --quiet --group bench
	$(RUN) --group bench python -m bench --backend postgresql

bench-sqlite: install ## the embedded benchmark: O against a hand-written aiosqlite app (H-sqlite)
	@$(UV) sync --all-packages --frozen --quiet --group bench
	$(RUN) --group bench python -m bench --backend sqlite

bench-mail: install ## scenario (e): outbox drain vs a plain smtplib loop (COUNT=5000), PostgreSQL
	@$(UV) sync --all-packages --frozen --quiet --group bench
	$(RUN) --group bench python -m bench.mail --count $(or $(COUNT),5000)

bench-ws: install ## scenario (d): WebSocket fan-out through Redis vs an in-process broadcast (N=100/1k/4k)
	@$(UV) sync --all-packages --frozen --quiet --group bench
	$(RUN) --group bench python -m bench.ws

bench-import: install ## issue 20: esensi import-original vs a plain COPY of the same ~1M rows (ROWS=1000000), PostgreSQL
	@$(UV) sync --all-packages --frozen --quiet --group bench
	$(RUN) --group bench python -m bench.import_original --rows $(or $(ROWS),1000000)

battery: install ## the reliability and security battery at report size (PostgreSQL, Redis) -> docs/reports/battery.md
	$(RUN) python -m bench.battery
