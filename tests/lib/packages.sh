# Sourced by the test scripts: makes sure the Debian packages of one group in tests/packages.txt
# are installed. As root it installs what is missing (apt-get update first); otherwise it prints
# the exact `sudo apt-get install` line and stops. FERRY_SKIP_PACKAGE_CHECK=1 skips the check
# (a machine set up by other means; the tests then fail wherever a tool is missing).

ferry_packages_file="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/packages.txt"

# Prints the packages of GROUP that are missing, one a line.
missing_packages() {
    local group=$1 line name spec need
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%%#*}
        read -r name spec _ <<<"$line" || true
        [ -n "$name" ] || continue
        case ",${spec%%:*}," in *",$group,"*) ;; *) continue ;; esac
        need=
        [ "${spec#*:}" = "$spec" ] || need=${spec#*:}
        if [ -n "$need" ] && command -v "$need" >/dev/null 2>&1; then
            continue
        fi
        dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' || echo "$name"
    done <"$ferry_packages_file"
}

# ensure_packages GROUP: returns when every package of GROUP is installed; exits 3 otherwise.
ensure_packages() {
    local group=$1 missing
    [ "${FERRY_SKIP_PACKAGE_CHECK:-0}" = 1 ] && return 0
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "ferry: cannot check the packages the tests need (no dpkg-query: this is not Debian)." >&2
        echo "  Install the equivalents of the '$group' packages in $ferry_packages_file," >&2
        echo "  then run again with FERRY_SKIP_PACKAGE_CHECK=1." >&2
        exit 3
    fi
    missing=$(missing_packages "$group" | tr '\n' ' ')
    missing=${missing% }
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" != 0 ]; then
        echo "ferry: the tests need Debian packages that are not installed: $missing" >&2
        echo "  Install them, then run this again:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y $missing" >&2
        exit 3
    fi
    echo "ferry: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -qq $missing
    missing=$(missing_packages "$group" | tr '\n' ' ')
    if [ -n "$missing" ]; then
        echo "ferry: still missing after apt-get install: $missing" >&2
        exit 3
    fi
}
