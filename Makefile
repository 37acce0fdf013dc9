# sidedoor: `make demo` and `make test` work on a fresh Debian machine with Python 3.11.
# Run as root, the Makefile installs the Debian packages it needs; otherwise it names them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
US_ATLAS := us-atlas@3.0.1
ATLAS := $(VENV)/share/us-atlas/states-10m.json
DEBIAN_PACKAGES := chromium tesseract-ocr poppler-utils fonts-dejavu-core antiword postgresql \
	redis-server
# the commands each package provides, to check whether it is already there
DEBIAN_COMMANDS := chromium tesseract pdftotext antiword pg_ctlcluster redis-server

.PHONY: install system-deps s3-server demo run serve test lint bench golden docs migration clean

install: $(STAMP) $(ATLAS)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# US state boundaries for the site's map (reports/usmap.py): the Census Bureau's public-domain
# shapes as TopoJSON, from the npm package us-atlas, fetched by npm into the virtualenv.
$(ATLAS): $(STAMP)
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent $(US_ATLAS) >/dev/null \
	  && tar -xzf $(subst @,-,$(US_ATLAS)).tgz --strip-components=1 package/states-10m.json package/LICENSE \
	  && rm $(subst @,-,$(US_ATLAS)).tgz

# A local S3-compatible server for the archive tests (tests/s3_server.py): moto, in a virtualenv
# of its own because botocore pins python-dateutil below the 4.0 of constraints.txt.
S3_SERVER := .venv-s3/bin/moto_server
s3-server: $(S3_SERVER)

$(S3_SERVER):
	$(PYTHON) -m venv .venv-s3
	.venv-s3/bin/pip install --quiet 'moto[server]==5.2.5'

system-deps:
	@missing=""; for c in $(DEBIAN_COMMANDS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $(DEBIAN_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	  else \
	    echo "missing:$$missing. Install them with: sudo apt-get install $(DEBIAN_PACKAGES)"; exit 1; \
	  fi; \
	fi

demo: install system-deps
	$(BIN)/sidedoor demo

run: install system-deps
	$(BIN)/sidedoor run

serve: install
	$(BIN)/sidedoor serve

# two test processes (pytest-xdist), a test file each at a time: module fixtures (a browser,
# a crawled world) are set up once per file, as in a single process
test: install system-deps s3-server lint
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy spiders pipelines reports config sidedoor
	$(BIN)/lint-imports
	$(BIN)/cog --check README.md  # the command and platform lists are made from the code: make docs

bench: install system-deps
	$(BIN)/python bench/eval_findings.py ../shared/eval/dev.jsonl
	$(BIN)/python bench/eval_findings.py ../shared/eval/news_dev.jsonl
	$(BIN)/python bench/eval_documents.py
	$(BIN)/python bench/eval_portals.py
	BENCH_QUICK=1 $(BIN)/python bench/findings_speed.py
	BENCH_QUICK=1 $(BIN)/python bench/build_site.py
	BENCH_QUICK=1 $(BIN)/python bench/recrawl.py
	BENCH_QUICK=1 $(BIN)/python bench/startup.py
	BENCH_QUICK=1 $(BIN)/python bench/pdf_text.py
	BENCH_QUICK=1 $(BIN)/python bench/ocr.py
	BENCH_QUICK=1 $(BIN)/python bench/crawl_vs_civic_scraper.py
	BENCH_QUICK=1 $(BIN)/python bench/scale.py
	BENCH_QUICK=1 $(BIN)/python bench/workers.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/hostile_dns.py
	$(BIN)/python bench/hostile.py --inspect

# Rewrite README.md's generated parts (the command reference, the platform list).
docs: install
	$(BIN)/cog -r README.md

# Regenerate tests/golden/ after a template change; review the diff like code.
golden: install
	SIDEDOOR_UPDATE_GOLDEN=1 $(BIN)/pytest -q tests/test_reports_golden.py

# After a change to sidedoor/store/models.py: write the migration, then review it like code.
migration: install
	$(BIN)/python -m sidedoor.store.migrate "$(m)"

clean:
	rm -rf $(VENV) .venv-s3 public .public.build-state demo-data tests/artifacts
