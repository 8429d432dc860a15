#!/usr/bin/env bash
# Run the independent judges (sitemap, feeds, JSON-LD, axe) against a running server of the
# public site, e.g. `.ci/judges_site.sh http://127.0.0.1:8101` with the seed fixtures loaded.
# ../shared is read-only in CI: the judges' venv lives in /tmp and axe is installed into a
# copy of its folder. Exits non-zero when any judge fails.
set -uo pipefail
BASE="${1:?usage: judges_site.sh BASE_URL}"
BASE="${BASE%/}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JUDGES="$(cd "$ROOT/../shared/judges" 2>/dev/null && pwd)" || {
    echo "judges not found at $ROOT/../shared/judges" >&2
    exit 2
}
VENV="${JUDGES_VENV:-/tmp/judges-venv}"
AXE_DIR="${AXE_DIR:-/tmp/judges-axe-site}"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import feedparser, extruct, lxml, playwright" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$JUDGES/requirements.txt"
fi
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
    mkdir -p "$AXE_DIR"
    cp "$JUDGES/axe/package.json" "$JUDGES/axe/run_axe.py" "$AXE_DIR/"
    (cd "$AXE_DIR" && npm install --silent --no-audit --no-fund >/dev/null)
fi
cp "$JUDGES/axe/run_axe.py" "$AXE_DIR/run_axe.py"
PY="$VENV/bin/python"

# The seed's pages: one of each kind.
ARTICLE="$BASE/articles/zelenskyy-and-tsikhanouskaya-hold-first-formal-meeting-in-vilnius/"
PERSON="$BASE/people/volodymyr-zelenskyy/"
ORGANIZATION="$BASE/organizations/viasna-human-rights-center/"
EVENT="$BASE/events/zelenskyy-tsikhanouskaya-meeting-2026/"
PLACE="$BASE/places/vilnius/"
SECTION="$BASE/sections/europe/"
SEARCH="$BASE/search/?q=Lukashenko"

failures=0
run() {
    echo "== $1"
    shift
    if ! "$@"; then
        failures=$((failures + 1))
        echo "FAILED: $*" >&2
    fi
}

run "sitemap index (recursive)" "$PY" "$JUDGES/sitemap/validate_sitemap.py" "$BASE/sitemap.xml" --recurse
run "news sitemap" "$PY" "$JUDGES/sitemap/validate_sitemap.py" "$BASE/sitemap-news.xml" --news
run "feeds" "$PY" "$JUDGES/feeds/check_feed.py" \
    "$BASE/feed/rss/" "$BASE/feed/atom/" \
    "$BASE/sections/europe/feed/rss/" "$BASE/sections/europe/feed/atom/" \
    "$BASE/people/volodymyr-zelenskyy/feed/rss/" "$BASE/people/volodymyr-zelenskyy/feed/atom/" \
    "$BASE/events/zelenskyy-tsikhanouskaya-meeting-2026/feed/rss/" \
    "$BASE/places/vilnius/feed/atom/"
run "JSON-LD NewsArticle" "$PY" "$JUDGES/structured/check_newsarticle.py" "$ARTICLE"
run "axe" env CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" "$PY" "$AXE_DIR/run_axe.py" \
    "$BASE/" "$ARTICLE" "$PERSON" "$ORGANIZATION" "$EVENT" "$PLACE" "$SECTION" "$SEARCH"

if [ "$failures" -ne 0 ]; then
    echo "$failures judge(s) failed" >&2
    exit 1
fi
echo "All site judges passed."
