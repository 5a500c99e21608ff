#!/bin/sh
# Assembles a benchmark corpus for the code analysis from sources already on a Debian machine:
# N/2 Python files (the interpreter's library and dist-packages) and N/2 JavaScript files (npm's
# own tree), copied under DIR/py and DIR/js. Usage: bench-corpus.sh DIR [N=2000]
# Then: /usr/bin/time -v build/bin/argus-codegraph --stats DIR
set -eu
dir=$1
n=${2:-2000}
half=$((n / 2))
rm -rf "$dir"
mkdir -p "$dir/py" "$dir/js"
i=0
find /usr/lib/python3 /usr/lib/python3.11 -name '*.py' -size -200k 2>/dev/null | sort | head -n "$half" |
while read -r f; do i=$((i + 1)); cp "$f" "$dir/py/f$i.py"; done
find /usr/lib/node_modules /usr/share/nodejs -name '*.js' -size -200k 2>/dev/null | sort | head -n "$half" |
while read -r f; do i=$((i + 1)); cp "$f" "$dir/js/f$i.js"; done
echo "$(find "$dir" -type f | wc -l) files, $(du -sh "$dir" | cut -f1)"
