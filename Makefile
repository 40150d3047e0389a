# Homeward: two commands do all the set-up.
#   make serve   installs (from requirements.lock) and serves the apps through Voila
#   make test    installs (from requirements.lock, plus Chromium) and runs every test
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
UV_VERSION := 0.13.9

.PHONY: serve test install browser lint benchmark clean

$(BIN)/uv:
	@command -v $(PYTHON) >/dev/null || { echo "Homeward needs $(PYTHON) on the PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium for the browser tests (Debian package)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core poppler-utils >/dev/null; }

serve: install
	$(BIN)/python -m widgets.serve --port=$(PORT)

test: install browser
	$(BIN)/python -m pytest -q -ra

lint: install
	$(BIN)/ruff check .

benchmark: install browser
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV)
