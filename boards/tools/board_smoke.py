#!/usr/bin/env python3
"""Smoke test of a board on a pty: SNRM -> UA, GET /info -> REP; with --full every resource.

  board_smoke.py --pty /dev/pts/N [--addr 1] [--full]
  board_smoke.py --spawn host-sim|qemu [--full]    (starts and stops the board itself)

Exit code 0 when every check passed; each check prints one line.
"""
import argparse
import json
import os
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rp_primary import Msg, Primary  # noqa: E402

BOARDS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []


def check(name, cond, detail=""):
    print("%s %s %s" % ("ok  " if cond else "FAIL", name, detail if not cond else ""))
    if not cond:
        failures.append(name)


def spawn(kind):
    if kind == "host-sim":
        cmd = [os.path.join(BOARDS, "host-sim/build/ferry-host-sim"), "--blob-kib", "2"]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = p.stdout.readline()
        m = re.match(r"PTY (\S+)", line)
    else:
        elf = os.path.join(BOARDS, "arduino-uno/build/firmware.elf")
        cmd = ["qemu-system-avr", "-M", "uno", "-bios", elf, "-serial", "pty", "-nographic",
               "-monitor", "none"]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        m, deadline = None, time.monotonic() + 10
        while m is None and time.monotonic() < deadline:
            if select.select([p.stdout], [], [], 1)[0]:
                m = re.search(r"char device redirected to (\S+)", p.stdout.readline())
    if not m:
        p.terminate()
        sys.exit("could not start %s" % kind)
    return p, m.group(1)


class Session:
    """Requests with fresh /#r/<n> paths; answers the board's own GET /#runtime/time/unix_ms."""

    def __init__(self, prim):
        self.p, self.n, self.inbox, self.time_asked = prim, 100, [], False

    def turn(self):
        for m in self.p.poll():
            if m.verb == "GET" and m.to == "/#runtime/time/unix_ms":
                self.time_asked = True
                self.p.send(Msg("REP", m.frm, "/#runtime/time/unix_ms#streams/1", type="j",
                                body=b'1700000000123'))
            else:
                self.inbox.append(m)

    def request(self, verb, to, body=b"", type=None, eof=True):
        self.n += 1
        req = "/#r/%d" % self.n
        self.p.send(Msg(verb, to, req, eof=eof, type=type, body=body))
        return req

    def wait(self, req, count=1, seconds=10.0):
        """Polls until count messages to req arrived, one of them ended the stream, or time."""
        got, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.turn()
            got += [m for m in self.inbox if m.to == req]
            self.inbox = [m for m in self.inbox if m.to != req]
            if len(got) >= count or (got and got[-1].eof):
                break
        return got

    def call(self, verb, to, body=b"", type=None):
        got = self.wait(self.request(verb, to, body, type))
        return got[0] if got else None


def basic(s, addr):
    ua = s.p.connect()
    check("SNRM -> UA (version 2)", ua[0] == 0x20, ua.hex())
    r = s.call("GET", "/info")
    check("GET /info -> REP", r is not None and r.verb == "REP" and r.type == "j", repr(r))
    info = json.loads(r.body) if r else {}
    check("/info fields", info.get("addr") == addr and info.get("fw") == "0.1.0", repr(info))
    return info


def full(s):
    r = s.call("GET", "/sensors/temp")
    check("GET /sensors/temp", r and "c" in json.loads(r.body), repr(r))
    r = s.call("PUT", "/leds/0", b"true", "j")
    check("PUT /leds/0 true", r and r.verb == "REP" and r.body == b"true", repr(r))
    r = s.call("GET", "/leds/0")
    check("GET /leds/0", r and r.body == b"true", repr(r))
    r = s.call("POST", "/echo", b"hello\x00world", "o")
    check("POST /echo", r and r.body == b"hello\x00world" and r.type == "o", repr(r))
    r = s.call("GET", "/nope")
    check("unknown path -> 404", r and r.verb == "ERROR" and r.status == 404, repr(r))
    r = s.call("DELETE", "/info")
    check("wrong verb -> 405", r and r.verb == "ERROR" and r.status == 405, repr(r))
    r = s.call("GET", "/leds/0#schema")
    check("#schema", r and json.loads(r.body)["verbs"] == ["GET", "PUT"], repr(r))
    for path in ("/", "/info", "/sensors/temp", "/leds/0", "/echo", "/blob", "/time"):
        r = s.call("GET", path + "#schema")
        ok = r is not None and r.verb == "REP"
        check("GET %s#schema is JSON" % path, ok and "verbs" in json.loads(r.body), repr(r))
    r = s.call("GET", "/sensors/temp#")
    check("GET /sensors/temp# (tags)", r and "changes" in json.loads(r.body), repr(r))
    r = s.call("GET", "/time")
    t = json.loads(r.body) if r else {}
    check("boot GET /#runtime/time answered", s.time_asked and t.get("status") == 200, repr(t))
    req = s.request("GET", "/blob", b"1", "j")
    got = s.wait(req, count=10 ** 6)
    data = b"".join(m.body for m in got)
    want = bytes((i * 31 + 7) & 0xFF for i in range(1024))
    check("GET /blob 1 KiB", data == want and got[-1].eof and all(not m.eof for m in got[:-1])
          and all(m.type == "o" for m in got), "%d msgs %d bytes" % (len(got), len(data)))
    print("     /blob: %d messages of <= %d bytes" % (len(got), max(len(m.body) for m in got)))
    req = s.request("GET", "/sensors/temp", b"50", "j", eof=False)
    got = s.wait(req, count=2)
    check("observe: 2 readings E0", len(got) == 2 and not got[1].eof, repr(got))
    stream = got[0].frm if got else "/none"
    r = s.call("PUT", stream + "#flow", b"false", "j")
    check("PUT #flow false", r and r.verb == "REP", repr(r))
    s.wait(req, count=10 ** 6, seconds=0.2)                 # drain what was already queued
    quiet = s.wait(req, count=1, seconds=0.3)
    check("paused stream is quiet", not quiet, repr(quiet))
    r = s.call("PUT", stream + "#flow", b"true", "j")
    check("PUT #flow true", r and r.verb == "REP", repr(r))
    check("resumed stream sends", len(s.wait(req, count=1)) == 1)
    extra = [s.request("GET", "/sensors/temp#changes", b"1000", "j") for _ in range(4)]
    errs = [m for e in extra for m in s.wait(e, count=1, seconds=1.0) if m.verb == "ERROR"]
    check("streams full -> 503", errs and errs[0].status == 503, repr(errs))
    r = s.call("DELETE", stream)
    check("DELETE stream -> REP", r and r.verb == "REP", repr(r))
    end = s.wait(req, count=10 ** 6, seconds=2.0)
    check("cancelled stream ends with ERROR S499",
          end and end[-1].verb == "ERROR" and end[-1].status == 499, repr(end[-3:]))
    r = s.call("DELETE", stream)
    check("DELETE again -> 404", r and r.status == 404, repr(r))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pty")
    ap.add_argument("--spawn", choices=["host-sim", "qemu"])
    ap.add_argument("--addr", type=int, default=1)
    ap.add_argument("--full", action="store_true")
    a = ap.parse_args()
    proc, path = spawn(a.spawn) if a.spawn else (None, a.pty)
    try:
        s = Session(Primary(path, a.addr))
        info = basic(s, a.addr)
        print("     board %s frame %s, negotiated N=%d k=%d" % (
            info.get("board"), info.get("frame"), s.p.frame, s.p.window))
        if a.full:
            full(s)
        print("     poll timeouts: %d" % s.p.timeouts)
    finally:
        if proc:
            proc.terminate()
            proc.wait(5)
    print("%s: %d failure(s)" % (a.spawn or path, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
