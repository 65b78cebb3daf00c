#!/usr/bin/env bash
# Ferry's whole test suite: the README's test command, and what CI runs (.ci/run).
#   1. the Debian packages the tests need (tests/packages.txt, group "suite"): as root, installs
#      what is missing; otherwise prints the `sudo apt-get install` line and stops (exit 3);
#   2. swagger-parser from npm into .ci/node (the OpenAPI check), once;
#   3. the Maven build with every test, Java and C (mvn -B -ntp verify, plus any arguments given,
#      e.g. tests/run-all.sh -Psmall for the fast tests only);
#   4. an offline build of a copy of the tree, which must work after the online one
#      (tests/offline-build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/packages.sh
. tests/lib/packages.sh
ensure_packages suite
# swagger-parser validates /#runtime/openapi.json in HttpApiSystemTest (which looks in .ci/node)
if [ ! -d .ci/node/node_modules/@apidevtools/swagger-parser ]; then
    npm install --prefix .ci/node --no-audit --no-fund --silent @apidevtools/swagger-parser@13.1.0
fi
mvn -B -ntp verify "$@"
tests/offline-build.sh
