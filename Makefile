# Two commands do all the set-up: `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test quick bench fuzz clean assets slides site student

# The venv is rebuilt when requirements.txt or pyproject.toml is newer than it.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# JupyterLab for a class. etc/jupyter/ comes first on Jupyter's config path (the user's own
# settings stay in effect after it): no "get notified about Jupyter news?" prompt (the
# announcements plugin is off), no news feed, no update check. The browser tests start
# JupyterLab with the same folder (tests/servers.py).
LAB_CONFIG := $(CURDIR)/etc/jupyter
lab: setup
	JUPYTER_CONFIG_PATH="$(LAB_CONFIG)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))" \
		$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks $(ROOT_FLAG)

# The classroom explorer as a page with no code (Voila), on 127.0.0.1 only. The port is a
# free one unless given (`make app APP_PORT=8866`); open the URL it prints, token included.
APP_PORT ?= $(shell $(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.PHONY: app
app: setup
	$(BIN)/voila notebooks/app.ipynb --no-browser --Voila.ip=127.0.0.1 --port=$(APP_PORT) --token \
		--strip_sources=True --theme=light

test: setup assets
	$(BIN)/python -m pytest

quick: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

bench: setup
	$(BIN)/python benchmarks/run.py

# The long fuzzing run (>= 10,000 inputs, fresh random ones each time); `make test` runs the
# short, reproducible profile. Prints how many inputs ran and how long it took.
fuzz: setup
	CABLELAB_FUZZ=long $(BIN)/python -m pytest tests/test_fuzz.py -q -p no:cacheprovider

# Offline slides and site: the browser assets come from npm (package.json + lock) and are
# copied under build/; `make test` needs them too. Stamps keep a second run instant.
ASSETS_STAMP := build/.assets-stamp
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(ASSETS_STAMP): node_modules/.package-lock.json src/cablelab/export.py $(wildcard src/cablelab/templates/*) | setup
	$(BIN)/python -m cablelab.export assets
	touch $@

assets: $(ASSETS_STAMP)

slides: setup assets
	$(BIN)/python -m cablelab.export slides

site: setup assets
	$(BIN)/python -m cablelab.export site

# The copies to hand out: build/student/<lesson>.ipynb, every lesson without its teacher notes
# and model answers (cells removed, not hidden), outputs stripped. Rewritten on each run.
student: setup
	$(BIN)/python -m cablelab.export student

clean:
	rm -rf build $(VENV)

# The class hub on 127.0.0.1: JupyterHub with configurable-http-proxy (npm), one account and
# server per student of classroom/roster.csv, the lessons handed out, the teacher's dashboard.
# Needs root (it creates the students' accounts): `sudo make hub`, `sudo make hub HUB_PORT=8000`.
# See classroom/README.md. Ctrl-C stops the hub, the proxy and every server.
.PHONY: hub
hub: setup node_modules/.package-lock.json
	$(BIN)/python classroom/serve.py $(if $(HUB_PORT),--port $(HUB_PORT),)
