#!/usr/bin/env bash
# Lighthouse accessibility, best-practices and SEO scores of Apex's main public
# pages, with Debian's chromium, against a running server (default: make run's).
#   tools/lighthouse/run.sh [BASE_URL]
# Installs the pinned Lighthouse from the npm registry into
# tools/lighthouse/node_modules on first use. Prints one line per page.
set -euo pipefail
cd "$(dirname "$0")"
BASE="${1:-http://127.0.0.1:8000}"
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x node_modules/.bin/lighthouse ] || npm install --no-audit --no-fund --silent
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
for path in / /profiles/ /library/ /theory/ /accounts/login/ /accounts/signup/; do
  CHROME_PATH="$CHROME_PATH" node_modules/.bin/lighthouse "$BASE$path" --quiet \
    --only-categories=accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox" \
    --output=json --output-path="$out/report.json"
  python3 - "$out/report.json" "$path" <<'PY' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
failing = [a["id"] for a in report["audits"].values() if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric")]
print(f"{sys.argv[2]:<20} " + "  ".join(f"{k} {v}" for k, v in scores.items()) + (f"  failing: {', '.join(failing)}" if failing else ""))
sys.exit(0 if all(v == 100 for v in scores.values()) else 1)
PY
done
exit $status
