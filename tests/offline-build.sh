#!/usr/bin/env bash
# After one online build, an offline one must work (build farms without network, laptops on
# trains): copies the source tree (what git tracks or would track, no build outputs) to a
# temporary directory, builds it there with `mvn -o -q -DskipTests package` from the local
# repository alone, and checks that protoc's classes and the runnable jar came out. Leaves this
# working tree and its target/ directories alone. Exit 0 when the offline build works.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-offline.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf - | tar -xf - -C "$tmp"
else
    tar --exclude=target --exclude=build -cf - . | tar -xf - -C "$tmp"
fi
if ! (cd "$tmp" && mvn -o -B -ntp -q -DskipTests package); then
    echo "offline build: FAILED: after an online build, 'mvn -o -DskipTests package' must not need the" >&2
    echo "  network; a plugin or dependency above wants it (or skips its work offline)." >&2
    exit 1
fi
proto=$(find "$tmp/edge-runtime/target/classes/dev/ferry/edge/proto" -name '*.class' 2>/dev/null | wc -l)
if [ "$proto" -eq 0 ] || [ ! -s "$tmp/edge-runtime/target/ferry.jar" ]; then
    echo "offline build: FAILED: no protobuf classes ($proto) or no ferry.jar: a plugin skipped its work offline" >&2
    exit 1
fi
echo "offline build: OK ($proto generated protobuf classes, ferry.jar; $(( $(date +%s) - start )) s)"
