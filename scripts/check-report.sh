#!/usr/bin/env bash
# Renders the HTML report for UKdat_5 in headless Chromium (Debian's `chromium`, installed with
# apt when missing) and checks it: a screenshot is taken and is not blank, every chart is an
# inline SVG with drawn content, and the HTML has no external references (no scripts, links,
# images or fonts from elsewhere).
#
#   bash scripts/check-report.sh                          # builds the release CLI first
#   DARKNUMBER=/abs/path/to/darknumber bash scripts/check-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "check-report: installing chromium"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ -z "${DARKNUMBER:-}" ]; then
  source scripts/setup.sh
  swift build -c release --product darknumber
  DARKNUMBER="$PWD/.build/release/darknumber"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$DARKNUMBER" report --example UKdat_5 --bootstrap 200 --output "$work/report.html"
"$DARKNUMBER" report --example UKdat_5 --bootstrap 0 --no-bayes --suppress-below 10 --output "$work/suppressed.html"
# The publication report with covariates: a list that did not operate everywhere (structural zeros),
# Cruyff's search path, a re-selecting bootstrap, rates, suppression and the tables as CSV.
fixtures="Tests/DarkNumberTests/Fixtures/coverage"
printf 'gender,population\nF,8600000\nM,8500000\n' > "$work/population.csv"
"$DARKNUMBER" report "$fixtures/two-incomplete-data.csv" --covariates year,gender,exploitation \
  --coverage "$fixtures/two-incomplete-coverage.csv" --population "$work/population.csv" --method path \
  --candidates lists,covariate-lists --bootstrap 100 --suppress-below 10 --output "$work/covariates.html" \
  --tables "$work/tables"
for table in total by-year by-gender by-exploitation coverage covariates search-path model-frequencies; do
  test -s "$work/tables/$table.csv" || { echo "check-report: missing table $table.csv"; exit 1; }
done
for page in report suppressed covariates; do
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1000,5200 --screenshot="$work/$page.png" "file://$work/$page.html" >/dev/null 2>&1
done
python3 - "$work" <<'PY'
import html.parser, re, struct, sys, zlib

work = sys.argv[1]

class Charts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.charts = []
        self.external = []
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.external.append(tag)
        for key in ("src", "href", "xlink:href"):
            value = attrs.get(key) or ""
            if value and not value.startswith("#"):
                self.external.append(f"{tag} {key}={value}")
        if tag == "svg":
            self.depth += 1
            self.charts.append(0)
        elif self.depth and tag in ("rect", "circle", "path", "line"):
            self.charts[-1] += 1
    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1

def png_pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, i = [], 8
    while i < len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        kind = data[i + 4:i + 8]
        if kind == b"IDAT":
            chunks.append(data[i + 8:i + 8 + length])
        i += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    return width, height, raw

failures = []
for page, minimum in (("report", 5), ("suppressed", 3), ("covariates", 4)):
    text = open(f"{work}/{page}.html", encoding="utf-8").read()
    parser = Charts()
    parser.feed(text)
    if parser.external:
        failures.append(f"{page}: external references {parser.external[:5]}")
    if re.search(r"url\((?!#)", text) or "@import" in text or "http://" in text.replace("http://www.w3.org/2000/svg", ""):
        failures.append(f"{page}: a url(), @import or http:// reference")
    if len(parser.charts) < minimum or min(parser.charts) < 3:
        failures.append(f"{page}: charts {parser.charts} (want at least {minimum}, each drawn)")
    width, height, raw = png_pixels(f"{work}/{page}.png")
    distinct = len(set(raw[::997]))
    if width < 900 or height < 1000 or distinct < 8:
        failures.append(f"{page}: screenshot {width}x{height} looks blank ({distinct} distinct byte values)")
    if page == "covariates" and "Estimated and registered number by year" not in text:
        failures.append("covariates: no trend chart by year")
    print(f"check-report: {page}.html — {len(parser.charts)} inline SVG charts with {parser.charts} shapes; screenshot {width}x{height}")
if failures:
    print("check-report: FAILED\n  " + "\n  ".join(failures))
    sys.exit(1)
print("check-report: ok")
PY
