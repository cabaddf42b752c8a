# FrameLens — set-up and everyday commands. Every target creates .venv first if needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
DEMO   ?= demo/two-plus-two.framelens
STAMP  := $(VENV)/.installed

.PHONY: run test bench stress screenshots demo clean venv dist dist-smoke mutation

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import framelens.store, framelens.annotate, framelens.desktop, spacy, PySide6"
	touch $(STAMP)

venv: $(STAMP)

## make run: install, build the demo project if it is not there, open the GUI on it
run: $(STAMP)
	test -f $(DEMO) || $(VENV)/bin/framelens demo $(DEMO) --no-gui
	$(VENV)/bin/framelens gui $(DEMO)

## make test: install, run the whole test suite (GUI tests run offscreen)
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

## make bench: speed figures, each beside a baseline measured in the same run
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

## make stress: long crash campaign (>= 200 SIGKILLs), long concurrent writers, fuzzing with many
## examples; prints trials, kills, actions acknowledged / found after recovery, integrity failures
stress: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/stress/run.py

## make mutation: mutation testing of offsets and a store sample, and the issue-19 mutants
## reapplied (docs/testing.md; tens of minutes)
mutation: $(STAMP)
	tests/mutation/run.sh offsets
	tests/mutation/run.sh store HEAD 8
	$(PY) tests/mutation/known_mutants.py

## make screenshots: regenerate docs/screenshots/ (offscreen)
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) desktop/screenshots.py
	QT_QPA_PLATFORM=offscreen $(PY) desktop/screenshots_retrieval.py
	QT_QPA_PLATFORM=offscreen $(PY) desktop/screenshot_codebook.py --dialog
	QT_QPA_PLATFORM=offscreen $(PY) desktop/layout_screenshots.py
	QT_QPA_PLATFORM=offscreen $(PY) -m framelens.desktop.reading.margin_screenshot

demo: $(STAMP)
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm
	$(VENV)/bin/framelens demo $(DEMO) --no-gui

## make dist: standalone application in dist/framelens/ (PyInstaller, one folder, models inside;
## docs/packaging.md); make dist-smoke runs it from outside the tree in a clean environment
dist: $(STAMP)
	$(PIP) install -e '.[dist]' 2>&1 | grep -v "^WARNING: Location" || true
	rm -rf dist/framelens
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller desktop/packaging/framelens.spec

dist-smoke:
	.ci/dist-smoke dist/framelens/framelens

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache demo
