#!/usr/bin/env bash
# Ferry's whole test suite: the README's test command, and what CI runs (.ci/run).
#   1. the Debian packages the tests need (tests/packages.txt, group "suite"): as root, installs
#      what is missing; otherwise prints the `sudo apt-get install` line and stops (exit 3);
#   2. the Maven build with every test, Java and C (mvn -B -ntp verify, plus any arguments given,
#      e.g. tests/run-all.sh -Psmall for the fast tests only);
#   3. an offline build of a copy of the tree, which must work after the online one
#      (tests/offline-build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/packages.sh
. tests/lib/packages.sh
ensure_packages suite
mvn -B -ntp verify "$@"
tests/offline-build.sh
