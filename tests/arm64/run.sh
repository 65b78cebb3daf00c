#!/usr/bin/env bash
# tests/arm64/run.sh - Ferry on the boards it is for, emulated: the Debian package installed in an
# arm64 Debian 12 userland under qemu-user, run the way its systemd unit runs it, against the
# host-sim firmware built for arm64. Checks that jSerialComm's and Netty's aarch64 native
# libraries load, that `ferry check-config` passes, that the service's command line starts
# (READY=1 and WATCHDOG=1 over NOTIFY_SOCKET) and that /dev0/sensors/temp answers; prints the
# start-up times and the memory of the process under emulation (docs/benchmarks.md, "arm64").
#
# A benchmark, not part of the test command: its first run builds the userland (several
# minutes), later runs reuse it from the cache. Needs root (debootstrap, chroot, mounts).
#
#   tests/arm64/run.sh              build what is missing, then three service starts: the first
#                                   after the install (the launcher creates its AppCDS archive),
#                                   the next (using it), and one with FERRY_CDS=0
#
# Environment: FERRY_ARM64_CACHE   where the userland and the arm64 build live
#                                  (default /var/cache/ferry-arm64)
#              FERRY_ARM64_MIRROR  Debian mirror for debootstrap (default http://deb.debian.org/debian)
#              FERRY_ARM64_PORT    HTTP port of the emulated Ferry (default 18480)
#              FERRY_ARM64_REQUESTS GETs of /dev0/sensors/temp timed per start (default 20)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${FERRY_ARM64_CACHE:-/var/cache/ferry-arm64}
ROOTFS=$CACHE/bookworm-arm64
MIRROR=${FERRY_ARM64_MIRROR:-http://deb.debian.org/debian}
PORT=${FERRY_ARM64_PORT:-18480}
REQUESTS=${FERRY_ARM64_REQUESTS:-20}
INCLUDE=openjdk-17-jre-headless,adduser
STAMP="bookworm arm64 minbase $INCLUDE"
BASE=http://127.0.0.1:$PORT

say() { printf 'arm64: %s\n' "$*"; }
die() { printf 'arm64: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts); run it as root or with sudo"
# shellcheck source=../lib/packages.sh
. "$ROOT/tests/lib/packages.sh"
ensure_packages arm64

# ---- mounts: everything we mount is under $ROOTFS and is undone on exit ----------------------
mounted_under() { awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r; }
unmount_all() {
    local m
    for m in $(mounted_under "$ROOTFS"); do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
}
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    unmount_all
}
trap cleanup EXIT
trap 'echo "arm64: stopped by a failing command at line $LINENO" >&2' ERR
unmount_all                      # left over by an earlier run that was killed

# ---- qemu-user through binfmt_misc ---------------------------------------------------------
if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    update-binfmts --enable qemu-aarch64
fi
grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || die "qemu-aarch64 is registered but disabled in binfmt_misc"

# ---- the arm64 userland, cached ------------------------------------------------------------
if [ "$(cat "$ROOTFS/.ferry-rootfs" 2>/dev/null)" != "$STAMP" ]; then
    say "building the arm64 Debian 12 userland in $ROOTFS (once; several minutes under emulation)"
    mkdir -p "$CACHE"
    t=$(now)
    unmount_all
    rm -rf --one-file-system "$ROOTFS.new" "$ROOTFS"
    debootstrap --arch=arm64 --variant=minbase --include="$INCLUDE" bookworm "$ROOTFS.new" "$MIRROR" \
        >"$CACHE/debootstrap.log" 2>&1 || die "debootstrap failed; see $CACHE/debootstrap.log"
    echo "$STAMP" >"$ROOTFS.new/.ferry-rootfs"
    mv "$ROOTFS.new" "$ROOTFS"
    say "userland ready in $(since "$t") s"
fi
mount -t proc proc "$ROOTFS/proc"
mount -t sysfs -o ro sysfs "$ROOTFS/sys"
mount --bind /dev "$ROOTFS/dev"
mount --bind /dev/pts "$ROOTFS/dev/pts"
mkdir -p "$ROOTFS/run"
mount -t tmpfs -o mode=0755 tmpfs "$ROOTFS/run"
in_root() { chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
[ "$(in_root uname -m)" = aarch64 ] || die "the userland does not run as aarch64"
say "userland: $(in_root sh -c '. /etc/os-release; echo "$PRETTY_NAME"'), $(in_root java -version 2>&1 | head -n 1)"

# ---- the host-sim firmware for arm64 (cross-compiled) -------------------------------------
make -s -C "$ROOT/boards/host-sim" CC=aarch64-linux-gnu-gcc BUILD="$CACHE/host-sim"
readelf -h "$CACHE/host-sim/ferry-host-sim" | grep -q 'AArch64' || die "host-sim was not built for AArch64"
install -m 0755 "$CACHE/host-sim/ferry-host-sim" "$ROOTFS/usr/local/bin/ferry-host-sim"

# ---- the Debian package --------------------------------------------------------------------
deb=$(ls "$ROOT"/edge-runtime/target/ferry_*_all.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
    say "building the package (mvn -B -q -DskipTests package)"
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
    deb=$(ls "$ROOT"/edge-runtime/target/ferry_*_all.deb | head -n 1)
fi
cp "$deb" "$ROOTFS/tmp/ferry.deb"
if in_root dpkg -s ferry >/dev/null 2>&1; then
    in_root dpkg --purge ferry >/dev/null      # a clean first start: no AppCDS archive yet
fi
t=$(now)
in_root dpkg -i /tmp/ferry.deb >"$CACHE/dpkg.log" 2>&1 || die "dpkg -i failed; see $CACHE/dpkg.log"
say "installed $(basename "$deb") in $(since "$t") s"

# ---- the firmware on a pty, the configuration ----------------------------------------------
: >"$CACHE/host-sim.out"
chroot "$ROOTFS" /usr/local/bin/ferry-host-sim --addr 1 --frame 256 --window 4 --board arm64-sim \
    >"$CACHE/host-sim.out" 2>"$CACHE/host-sim.err" &
pids+=($!)
for _ in $(seq 300); do
    grep -q '^PTY ' "$CACHE/host-sim.out" && break
    sleep 0.1
done
pty=$(sed -n 's/^PTY //p' "$CACHE/host-sim.out" | head -n 1)
[ -n "$pty" ] || die "host-sim printed no PTY line: $(cat "$CACHE/host-sim.err")"
in_root chown ferry:ferry "$pty"
cat >"$ROOTFS/etc/ferry/ferry.toml" <<EOF
# written by tests/arm64/run.sh: the arm64 host-sim firmware on $pty
[http]
listen = "127.0.0.1:$PORT"

[[lines]]
name = "bus0"
port = "$pty"
frame_size = 256
window = 4

[[devices]]
name = "dev0"
line = "bus0"
address = 1
mount = "/dev0"
EOF
t=$(now)
check=$(in_root /usr/bin/ferry check-config /etc/ferry/ferry.toml 2>&1) || die "check-config failed: $check"
say "check-config: $check ($(since "$t") s)"

# ---- the service's command line, as its unit runs it ---------------------------------------
unit=$ROOTFS/lib/systemd/system/ferry.service
unit_key() { sed -n "s/^$1=//p" "$unit"; }
exec_start=$(unit_key ExecStart)
exec_pre=$(unit_key ExecStartPre)
user=$(unit_key User)
group=$(unit_key Group)
workdir=$(unit_key WorkingDirectory)
read -r -a unit_env <<<"$(unit_key Environment | tr '\n' ' ')"
watchdog_usec=$(( $(unit_key WatchdogSec) * 1000000 ))
[ -n "$exec_start" ] && [ -n "$user" ] || die "cannot read ExecStart/User from $unit"

as_service() {   # COMMAND_LINE; execs, so that `as_service ... &` gives the service's own pid
    exec chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME="$workdir" \
        "${unit_env[@]}" ${extra_env:+"$extra_env"} NOTIFY_SOCKET=/run/ferry-notify.sock WATCHDOG_USEC="$watchdog_usec" \
        /bin/sh -c 'cd "$1" && shift && exec setpriv --reuid="$1" --regid="$2" --init-groups -- $3' \
        sh "$workdir" "$user" "$group" "$1"
}

# sd_notify receiver: one line per notification, with the wall-clock time it arrived
notify_log=$CACHE/notify.log
: >"$notify_log"
python3 -u - "$ROOTFS/run/ferry-notify.sock" >"$notify_log" <<'EOF' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
print("BOUND", flush=True)
while True:
    for line in s.recv(4096).decode(errors="replace").splitlines():
        print(f"{time.time():.3f} {line}", flush=True)
EOF
pids+=($!)
for _ in $(seq 100); do grep -q BOUND "$notify_log" && break; sleep 0.1; done

notified_at() { awk -v k="$1" -v after="$2" '$2 == k && $1 >= after { print $1; exit }' "$notify_log"; }
wait_notified() {   # KEY AFTER TIMEOUT_S
    local i
    for i in $(seq $(( $3 * 10 ))); do
        [ -n "$(notified_at "$1" "$2")" ] && return 0
        kill -0 "$svc" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
native_lib() {   # PID NAME: the mapped library's path in the userland, if mapped
    awk -v n="$2" 'index($6, n) && $3 == "00000000" { print $6; exit }' "/proc/$1/maps" | sed "s|^$ROOTFS||"
}
native_is_aarch64() {   # PID NAME: its ELF header says AArch64 (read through the mapping: Netty
                        # deletes its extracted copy once loaded)
    local range
    range=$(awk -v n="$2" 'index($6, n) && $3 == "00000000" { print $1; exit }' "/proc/$1/maps")
    [ -n "$range" ] && readelf -h "/proc/$1/map_files/$range" 2>/dev/null | grep -q AArch64
}

t=$(now)
pre=$(as_service "$exec_pre" 2>&1) || die "ExecStartPre ($exec_pre) failed: $pre"
say "ExecStartPre ($exec_pre): OK in $(since "$t") s"

# 1: first start after the install (the launcher builds its AppCDS archive first); 2: the next
# start (with the archive, if 1 made one); 3: FERRY_CDS=0, the JVM alone (no archive, no training)
results=()
for run in 1 2 3; do
    extra_env=
    [ "$run" = 3 ] && extra_env=FERRY_CDS=0
    log=$CACHE/service-$run.log
    t0=$(now)
    as_service "$exec_start" >"$log" 2>&1 &
    svc=$!
    pids+=("$svc")
    wait_notified READY=1 "$t0" 900 || die "run $run: no READY=1; output in $log"
    ready=$(awk -v a="$t0" -v b="$(notified_at READY=1 "$t0")" 'BEGIN { printf "%.1f", b - a }')
    first=""
    for _ in $(seq 1200); do
        if curl -sf --max-time 20 -o /dev/null "$BASE/dev0/sensors/temp"; then first=$(since "$t0"); break; fi
        kill -0 "$svc" 2>/dev/null || die "run $run: the service ended; output in $log"
        sleep 0.2
    done
    [ -n "$first" ] || die "run $run: /dev0/sensors/temp never answered; output in $log"
    body=$(curl -sf --max-time 20 "$BASE/dev0/sensors/temp" || echo "(failed)")
    times=$CACHE/latency-$run.txt
    : >"$times"
    failed=0
    for _ in $(seq "$REQUESTS"); do
        curl -sf --max-time 20 -o /dev/null -w '%{time_total}\n' "$BASE/dev0/sensors/temp" >>"$times" ||
            failed=$((failed + 1))
    done
    lat=$(sort -n "$times" | awk -v f="$failed" '{ v[NR] = $1 } END {
        if (NR) printf "median %.1f ms, max %.1f ms", v[int((NR + 1) / 2)] * 1000, v[NR] * 1000; printf ", %d failed", f }')
    # systemd kills a service whose watchdog goes unfed for WatchdogSec; the first feed is due 10 s after READY
    if wait_notified WATCHDOG=1 "$t0" 60; then
        dog="first WATCHDOG=1 after $(awk -v a="$t0" -v b="$(notified_at WATCHDOG=1 "$t0")" 'BEGIN { printf "%.1f", b - a }') s"
    else
        dog="NO WATCHDOG=1 within 60 s: systemd would have restarted it (see $log)"
    fi
    jsc=$(native_lib "$svc" libjSerialComm)
    netty=$(native_lib "$svc" libnetty_transport_native_epoll)
    [ -n "$jsc" ] || die "run $run: jSerialComm's native library is not loaded"
    native_is_aarch64 "$svc" libjSerialComm || die "run $run: $jsc is not an AArch64 library"
    [ -n "$netty" ] || die "run $run: Netty's epoll native library is not loaded (sd_notify)"
    native_is_aarch64 "$svc" libnetty_transport_native_epoll || die "run $run: $netty is not an AArch64 library"
    rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$svc/status")
    hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$svc/status")
    kill -TERM "$svc"
    code=0
    wait "$svc" || code=$?
    [ "$code" = 0 ] || [ "$code" = 143 ] || die "run $run: exit $code after SIGTERM; output in $log"
    grep -q 'ferry stopped' "$log" || die "run $run: no 'ferry stopped' after SIGTERM; output in $log"
    cds=$(grep -m1 'AppCDS archive' "$log" | sed 's/^ferry: //' || true)
    [ -n "$cds" ] || cds="with the AppCDS archive of an earlier start"
    [ -z "$extra_env" ] || cds="$extra_env: no AppCDS archive"
    say "run $run ($cds):"
    say "  READY=1 after $ready s; first /dev0/sensors/temp answer after $first s: $body"
    say "  $REQUESTS GETs: $lat; RSS $rss MiB (peak $hwm MiB, qemu included); $dog"
    say "  natives: $jsc, $netty"
    results+=("$run $ready $first $rss $hwm")
done
say "summary (run, READY s, first answer s, RSS MiB, peak RSS MiB): ${results[*]}"
say "load: $(uptime)"
