#!/usr/bin/env bash
# The wheel and the container image as users get them, without Docker (issue [13]):
#  1. build the wheel from exactly what the Dockerfile's wheel stage copies;
#  2. install it into a new virtual environment, as the image does;
#  3. scan the sample case (and a scanned letter) from a folder that is not the repository, with
#     the default model and OCR: expect the respondent's scan blocked (exit 1), the default
#     pipeline loaded from the wheel and the scan read by OCR;
#  4. run the service tests (tests/service) against the installed `redactguard serve`;
#  5. start the image's CMD as the image would (a token in the environment) and scan over HTTP.
# The image's system packages come from tools/install-system-packages.sh, which .ci/run runs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
tester="${TEST_PYTHON:-$repo/.venv/bin/python}"  # runs tests/service (needs the dev extra: make test sets it up)
if [ ! -x "$tester" ]; then
  echo "check_wheel: no $tester to run the service tests with: run make test first, or set TEST_PYTHON" >&2
  exit 1
fi
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$python" "$repo/tools/dockerfile.py" context "$work/context"
"$python" -m pip wheel -q --no-deps -w "$work/dist" "$work/context"
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
# the service tests, against the installed command (the test code runs from the checkout)
(cd "$repo" && REDACTGUARD_EXE="$work/venv/bin/redactguard" "$tester" -m pytest -q -p no:cacheprovider tests/service)
# the image's CMD, as the container starts it (its port moved to a free one)
port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mapfile -t cmd < <("$python" "$repo/tools/dockerfile.py" cmd)
cmd[0]="$work/venv/bin/${cmd[0]}"
REDACTGUARD_TOKEN=check-wheel-token-0123456789 "${cmd[@]}" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.5
done
body="$(curl -sf -H "Authorization: Bearer check-wheel-token-0123456789" -F order=@case/order.yaml \
  -F recipient=respondent -F files=@case/bundle/police-letter.pdf -F files=@case/bundle/scanned-letter.pdf \
  "http://127.0.0.1:$port/v1/scan")"
echo "$body" | "$python" -c '
import json, sys
body = json.load(sys.stdin)
code, outcome, blocked = body["exit_code"], body["outcome"], body["report"]["summary"]["blocked"]
print(f"image CMD over HTTP: exit {code} ({outcome}), {blocked} blocked")
assert body["exit_code"] == 1
'
echo "wheel check: ok"
