#!/usr/bin/env bash
# The wheel as users install it: build it, install it into a new virtual environment, and scan
# the sample case (and a scanned letter) from a folder that is not the repository, with the
# default model and OCR.
# Expect the respondent's scan blocked (exit 1) and the default pipeline loaded from the wheel.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m pip wheel -q --no-deps -w "$work/dist" "$repo"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/dist/redactguard-*.whl
cp -r "$repo/fixtures/sample-case" "$work/case"
cp "$repo/fixtures/ocr/scanned-letter.pdf" "$work/case/bundle/"  # a scan: OCR must read it
cd "$work"
unset REDACTGUARD_MODEL
# the model the scan will use is the wheel's own, not the repository's
"$work/venv/bin/python" - <<'PY'
from pathlib import Path
from redactguard.detectors.generic import default_model_path
path = default_model_path()
assert "site-packages" in str(path) and (path / "config.cfg").is_file(), path
print(f"default model: {path}")
PY
set +e
"$work/venv/bin/redactguard" scan case/bundle --order case/order.yaml --recipient respondent --no-progress --format json --output report.json
code=$?
set -e
"$work/venv/bin/python" - "$code" <<'PY'
import json, sys
report = json.load(open("report.json"))
code = int(sys.argv[1])
blocked = report["summary"]["blocked"]
models = {f["detector"] for d in report["documents"] for f in d["findings"]}
print(f"installed wheel: exit {code}, {blocked} blocked, detectors {sorted(models)}")
assert code == 1 and blocked >= 1, "the sample case must be blocked for the respondent"
assert "model" in {f["match"] for d in report["documents"] for f in d["findings"]}, "the default model found nothing"
scan = next(d for d in report["documents"] if d["path"].endswith("scanned-letter.pdf"))
assert scan["status"] == "blocked" and any(f["location"]["part"] == "image" for f in scan["findings"]), "OCR did not read the scan"
PY
echo "wheel check: ok"
