# Homeward: two commands do all the set-up.
#   make serve   installs (from requirements.lock), builds the course site (every lesson in
#                each language, the home page; each lesson page rendered once, kept in
#                build/page-cache) and serves it with the apps through Voila:
#                the course at http://localhost:8866/
#   make test    installs (from requirements.lock, plus Chromium) and runs every test
#   make handouts  prints every lesson, answer form and the glossary as A4 PDFs (build/handouts)
#   make workshop  the workshop hub (as root): sudo make workshop COURSE=/srv/course IP=<address>
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
# The workshop hub: the course folder, the address phones use, the port, optional TLS files.
COURSE ?= $(HOMEWARD_COURSE)
IP     ?= 127.0.0.1
HUB_PORT ?= 8000
CERT   ?=
KEY    ?=
UV_VERSION := 0.13.9

.PHONY: serve test install browser lint benchmark clean lessons handouts workshop

$(BIN)/uv:
	@command -v $(PYTHON) >/dev/null || { echo "Homeward needs $(PYTHON) on the PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Homeward needs Node.js and npm on the PATH (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The Homeward page script and stylesheet (widgets/page/frontend), built into the Voila template.
PAGE_STATIC := widgets/page/share/jupyter/voila/templates/homeward/static
$(PAGE_STATIC)/homeward.js: node_modules/.installed $(wildcard widgets/page/frontend/*) widgets/appkit.css
	npm run --silent build

install: $(VENV)/.installed node_modules/.installed $(PAGE_STATIC)/homeward.js

# Debian packages: Chromium (browser tests), Noto fonts and poppler (PDFs), bubblewrap (grading sandbox).
browser:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-noto-core poppler-utils"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The lessons in English, Filipino and Bahasa Indonesia (build/lessons, not in git).
lessons: install
	$(BIN)/python -m widgets.lessons build

serve: install
	$(BIN)/python -m widgets.serve --course --port=$(PORT)

handouts: install browser
	$(BIN)/python -m widgets.handouts build

# JupyterHub behind configurable-http-proxy for a room and a year of mentoring (root: each
# person's server runs as her own Unix user). Make the accounts and cards first with
# `python -m grading hub accounts` (facilitator_guides/workshop_hub.md).
workshop: install
	@test -n "$(COURSE)" || { echo "Name the course folder: sudo make workshop COURSE=/path/to/course IP=<this machine's address>"; exit 2; }
	$(BIN)/python -m grading hub start --course "$(COURSE)" --ip "$(IP)" --port "$(HUB_PORT)" $(if $(CERT),--certfile "$(CERT)" --keyfile "$(KEY)")

test: install browser
	$(BIN)/python -m pytest -q -ra

lint: install
	$(BIN)/ruff check .

benchmark: install browser
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV)
