#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend (docs/adr/0067). Builds, from the npm package, one minified
# script holding only the components the portal uses, and commits nothing else of the package:
# no Sass and no CSS (the portal's own stylesheet styles the component class names it uses).
# Needs node and npm (only to refresh; running the portal does not).
# Usage: make govuk-frontend [GOVUK_FRONTEND_VERSION=6.6.0]
set -euo pipefail
VERSION="${1:-6.6.0}"
ESBUILD_VERSION=0.24.2
# The components the portal's markup uses (data-module="govuk-..."), plus createAll to start them.
COMPONENTS="Checkboxes, CharacterCount, ErrorSummary, Radios, createAll, version"
cd "$(dirname "$0")/.."
DEST=static/vendor/govuk-frontend
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(
  cd "$WORK"
  npm init -y >/dev/null
  npm install --silent --no-audit --no-fund --save-exact \
    "govuk-frontend@$VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null
  echo "export { $COMPONENTS } from \"govuk-frontend\";" > entry.mjs
  # A classic script (no module loading, so its hashed URL is the only one a page needs): the
  # components are on window.GOVUKFrontend for static/js/components.js to start.
  npx esbuild entry.mjs --bundle --minify --format=iife --global-name=GOVUKFrontend \
    --legal-comments=none --banner:js="/*! GOV.UK Frontend $VERSION (MIT, see LICENCE.txt): $COMPONENTS */" \
    --outfile=govuk-frontend.min.js --log-level=warning
)
mkdir -p "$DEST"
cp "$WORK/govuk-frontend.min.js" "$DEST/govuk-frontend.min.js"
# The package states its licence in its README (MIT); keep the terms beside the file.
cat > "$DEST/LICENCE.txt" <<LICENCE
GOV.UK Frontend $VERSION (https://github.com/alphagov/govuk-frontend), from the npm package
govuk-frontend, bundled by scripts/vendor_govuk_frontend.sh with esbuild $ESBUILD_VERSION
(components: $COMPONENTS).

The MIT License (MIT)

Copyright (c) 2016 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "$VERSION" > "$DEST/VERSION"
echo "GOV.UK Frontend $VERSION vendored in $DEST ($(wc -c < "$DEST/govuk-frontend.min.js") bytes)"
