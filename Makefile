# redactguard developer commands. Each target sets up its own virtual environment.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test fuzz lint typecheck bench model fixtures corpus clean

$(STAMP): pyproject.toml
	@# OCR needs Tesseract, redaction checks need poppler (Debian packages, tools/install-system-packages.sh)
	@command -v tesseract >/dev/null && command -v pdftotext >/dev/null || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  bash tools/install-system-packages.sh; else \
	  echo "note: OCR and redaction checks need: sudo bash tools/install-system-packages.sh"; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## scan the sample case for the respondent (blocked) and the court (passes); redact it for the respondent
	@echo "== scan for the respondent (expect BLOCKED, exit 1) =="
	@$(BIN)/redactguard scan fixtures/sample-case/bundle --order fixtures/sample-case/order.yaml --recipient respondent --no-progress; \
	  code=$$?; echo "exit code $$code"; test $$code -eq 1
	@echo
	@echo "== scan for the court (expect exit 0: nothing blocked; generic personal data listed for review) =="
	@$(BIN)/redactguard scan fixtures/sample-case/bundle --order fixtures/sample-case/order.yaml --recipient court --no-progress; \
	  code=$$?; echo "exit code $$code"; test $$code -eq 0
	@echo
	@echo "== redacted copies for the respondent, verified clean, in out/redacted-respondent =="
	@$(BIN)/redactguard redact fixtures/sample-case/bundle --order fixtures/sample-case/order.yaml --recipient respondent --output-dir out/redacted-respondent --force; \
	  code=$$?; echo "exit code $$code"; test $$code -eq 0
	@echo
	@echo "== the redacted copies scanned again for the respondent (expect no block) =="
	@$(BIN)/redactguard scan out/redacted-respondent --order fixtures/sample-case/order.yaml --recipient respondent --no-progress --no-generic; \
	  code=$$?; echo "exit code $$code"; test $$code -eq 0

test: $(STAMP)  ## lint, type-check and run the test suite
	$(BIN)/ruff check redactguard tests fixtures
	$(BIN)/mypy redactguard
	$(BIN)/python -m pytest -q

fuzz: $(STAMP)  ## the long fuzz campaign (tests/fuzz with the `fuzz` profile; CI runs the short `ci` one)
	REDACTGUARD_FUZZ=fuzz $(BIN)/python -m pytest -q tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check redactguard tests fixtures

typecheck: $(STAMP)
	$(BIN)/mypy redactguard

model: $(STAMP)  ## rebuild the default spaCy pipeline in models/ (seeded; see models/README.md)
	$(BIN)/python models/build.py

fixtures: $(STAMP)  ## rebuild the committed fixtures (needs LibreOffice for a few files)
	$(BIN)/python fixtures/build.py
	$(BIN)/python fixtures/build_vectors.py
	$(BIN)/python fixtures/build_redaction.py
	$(BIN)/python fixtures/build_ocr.py
	$(BIN)/python fixtures/build_markup.py
	$(BIN)/python fixtures/build_layers.py
	$(BIN)/python fixtures/build_office.py
	$(BIN)/python fixtures/build_odf.py
	$(BIN)/python fixtures/build_legacy.py
	$(BIN)/python fixtures/build_msg.py
	$(BIN)/python fixtures/build_embedded.py
	$(BIN)/python fixtures/build_generic.py
	$(BIN)/python fixtures/build_scans.py

corpus: $(STAMP)  ## run the scanner over ../shared/data/corpus and print the counts
	$(BIN)/python tools/corpus_run.py

bench: $(STAMP)  ## benchmarks (bench_ocr_scan.py alone: (f) scanned bundle vs tesseract); (figures go in the closing note, never into tests)
	@# an installed package has its bytecode (pip compiles it); an editable one under PYTHONDONTWRITEBYTECODE would not
	$(BIN)/python -m compileall -q redactguard
	$(BIN)/python benchmarks/bench_matching.py --pages 300
	$(BIN)/python benchmarks/bench_matching.py --pages 1000 --repeat 3
	$(BIN)/python benchmarks/bench_scan.py --repeat 3 --jobs-repeat 7
	$(BIN)/python benchmarks/bench_layers.py --repeat 5
	$(BIN)/python benchmarks/bench_ocr_engines.py --pages 6 --repeat 2
	$(BIN)/python benchmarks/bench_ocr_scan.py --pages 12 --repeat 2
	$(BIN)/python benchmarks/bench_dask.py --repeat 5

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
