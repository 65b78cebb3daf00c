#!/bin/sh
# Builds host-sim and the Uno firmware and runs board_smoke.py --full against both
# (host-sim on its own pty, the Uno in qemu-system-avr). Exit code 0 = all passed.
set -e
here=$(cd "$(dirname "$0")" && pwd)
make -s -C "$here/../host-sim"
make -s -C "$here/../arduino-uno"
rc=0
python3 "$here/board_smoke.py" --spawn host-sim --full || rc=1
python3 "$here/board_smoke.py" --spawn qemu --full || rc=1
exit $rc
