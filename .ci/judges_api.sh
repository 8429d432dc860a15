#!/usr/bin/env bash
# Independent judges against a running API: the IPTC ninjs 2.2 schema on the seed article
# and a list, then schemathesis (GET and editorial operations, with the token) against the
# OpenAPI schema. Logout is left out: it would end the token the run is using (it is
# covered by tests/api). Usage: .ci/judges_api.sh http://127.0.0.1:8102 <editor-token>
# The server must be running with the seed fixtures loaded. Exits non-zero on any failure.
set -euo pipefail

BASE_URL="${1:?usage: judges_api.sh BASE_URL TOKEN}"
TOKEN="${2:?usage: judges_api.sh BASE_URL TOKEN}"
BASE_URL="${BASE_URL%/}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JUDGES="$(cd "$ROOT/../shared/judges" && pwd)"
VENV="${TMPDIR:-/tmp}/judges-venv"
SEED_ARTICLE="zelenskyy-and-tsikhanouskaya-hold-first-formal-meeting-in-vilnius"

# ../shared is read-only in CI: the judges' own tools live in a virtualenv under /tmp.
if [ ! -x "$VENV/bin/schemathesis" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r "$JUDGES/requirements.txt"
fi

echo "== ninjs 2.2 judge"
"$VENV/bin/python" "$JUDGES/ninjs/validate_ninjs.py" --version 2.2 --strict-format \
    --url "$BASE_URL/api/v1/articles/$SEED_ARTICLE/?format=ninjs" \
    --url "$BASE_URL/api/v1/articles/?format=ninjs" \
    --url "$BASE_URL/api/v1/articles/?format=ninjs&person=sviatlana-tsikhanouskaya"

echo "== schemathesis"
cd "${TMPDIR:-/tmp}"  # schemathesis may write reports into the working directory
"$VENV/bin/schemathesis" --config-file "$ROOT/.ci/schemathesis.toml" run "$BASE_URL/api/v1/schema/?format=json" \
    --url "$BASE_URL" \
    --header "Authorization: Token $TOKEN" \
    --exclude-path /api/v1/auth/logout/ \
    --checks all \
    --max-examples 50 \
    --seed 1 \
    --workers 1
