#!/usr/bin/env bash
# Fetches axe-core, the accessibility checker the browser tests inject into each page, at a pinned
# version checked against the registry's published sha512, into var/cache/ (once; later runs reuse it).
# Without npm it says so and the accessibility test skips (or fails where SOCIALGUARD_REQUIRE_BROWSER=1).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.10.3
INTEGRITY=sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg==
dest=var/cache/axe-core-$VERSION
[ -f "$dest/axe.min.js" ] && exit 0
if ! command -v npm >/dev/null; then
  echo "NOTE: npm not installed: cannot fetch axe-core $VERSION; the accessibility test will be skipped."
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$VERSION" >/dev/null)
tgz="$tmp/axe-core-$VERSION.tgz"
actual="sha512-$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1],"rb").read()).digest()).decode())' "$tgz")"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "axe-core $VERSION does not match its pinned sha512; not using it" >&2
  exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/axe.min.js
mkdir -p "$dest"
mv "$tmp/package/axe.min.js" "$dest/axe.min.js"
echo "Fetched axe-core $VERSION into $dest"
