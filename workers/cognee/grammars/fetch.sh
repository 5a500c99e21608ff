#!/bin/sh
# Fetches the tree-sitter grammars pinned in package.json (exact versions) into DIR with `npm pack`
# (no install, so no install scripts run), checks each tarball against SHA256SUMS and unpacks it to
# DIR/<name>/. Usage: fetch.sh DIR. The registry is npm's configured default.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
mkdir -p "$dir/tgz"
specs=$(node -e '
const d = require(process.argv[1]).dependencies;
for (const [n, v] of Object.entries(d)) {
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(v)) { console.error(n + ": version must be exact, got " + v); process.exit(2); }
  console.log(n + "@" + v);
}' "$here/package.json")
for spec in $specs; do
    name=${spec%@*}
    version=${spec##*@}
    tgz="$name-$version.tgz"
    if [ ! -f "$dir/tgz/$tgz" ]; then
        (cd "$dir/tgz" && npm pack --silent --ignore-scripts "$spec" >/dev/null)
    fi
    (cd "$dir/tgz" && grep " $tgz\$" "$here/SHA256SUMS" | sha256sum -c --quiet -) || {
        echo "fetch.sh: checksum mismatch for $tgz" >&2; exit 1; }
    rm -rf "$dir/$name"
    mkdir -p "$dir/$name"
    tar -xzf "$dir/tgz/$tgz" -C "$dir/$name" --strip-components=1
done
