#!/usr/bin/env bash
# Refresh the vendored front-end files from npm (run by a maintainer; the files are committed).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cp package.json "$tmp/" && (cd "$tmp" && npm install --no-audit --no-fund --silent)
dest=src/skills4cities/static/vendor
mkdir -p "$dest/bootstrap" "$dest/echarts"
cp "$tmp/node_modules/bootstrap/dist/css/bootstrap.min.css" "$tmp/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js" \
   "$tmp/node_modules/bootstrap/LICENSE" "$dest/bootstrap/"
cp "$tmp/node_modules/echarts/dist/echarts.min.js" "$tmp/node_modules/echarts/LICENSE" "$dest/echarts/"
# Source maps are not shipped; drop the references so browsers do not ask for them.
sed -i 's#/\*\# sourceMappingURL=.*\*/##' "$dest/bootstrap/bootstrap.min.css"
sed -i 's#//\# sourceMappingURL=.*##' "$dest/bootstrap/bootstrap.bundle.min.js"
rm -rf "$tmp"
