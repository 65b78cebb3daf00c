#!/usr/bin/env python3
"""A minimal RP/serial primary (host side), stdlib only, for board smoke tests.

Hand-written from serial-protocol/PROTOCOL.md: CRC-16/X-25, COBS + 00 delimiter, HDLC-NRM
link control (SNRM/UA, I-frames with one outstanding, RR polls), segmentation, and the
message header of either version: text (1) or binary (2, literal and exchange paths only).
"""
import os
import select
import termios
import time
import tty


def crc16(data):
    crc = 0xFFFF
    for d in data:
        x = (d ^ crc) & 0xFF
        x = (x ^ (x << 4)) & 0xFF
        crc = ((x << 8) | (crc >> 8)) ^ (x >> 4) ^ (x << 3)
        crc &= 0xFFFF
    return crc ^ 0xFFFF


def cobs_encode(raw):
    out, block = bytearray(), bytearray()
    for b in raw:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out += b"\xff" + block
                block = bytearray()
                last_ff = True
                continue
        last_ff = False
    if block or not raw or raw[-1] == 0 or not last_ff:
        out += bytes([len(block) + 1]) + block
    return bytes(out)


def cobs_decode(enc):
    out, i = bytearray(), 0
    while i < len(enc):
        c = enc[i]
        if c == 0 or i + c > len(enc):
            raise ValueError("BAD_COBS")
        out += enc[i + 1:i + c]
        i += c
        if c < 0xFF and i < len(enc):
            out.append(0)
    return bytes(out)


def frame_bytes(addr, control, info=b""):
    raw = bytes([addr, control]) + info
    c = crc16(raw)
    return b"\x00" + cobs_encode(raw + bytes([c & 0xFF, c >> 8])) + b"\x00"


class Msg:
    def __init__(self, verb, to, frm, eof=True, status=None, type=None, body=b"", flow=None):
        self.verb, self.to, self.frm, self.eof = verb, to, frm, eof
        self.status, self.type, self.body, self.flow = status, type, body, flow

    def encode(self):
        h = "%s %s\n%s\n" % (self.verb, self.to, self.frm)
        if not self.eof:
            h += "E0\n"
        if self.flow is not None:
            h += "F%d\n" % self.flow
        if self.status is not None:
            h += "S%d\n" % self.status
        if self.body:
            h += "T%s\nL%d\n\n" % (self.type or "o", len(self.body))
        return h.encode() + self.body

    @staticmethod
    def decode(b):
        i = b.find(b"\n\n")
        head, body = (b, b"") if i < 0 else (b[:i + 1], b[i + 2:])
        lines = head.decode("ascii").split("\n")
        verb, to = lines[0].split(" ", 1)
        m = Msg(verb, to, lines[1], body=body)
        for f in lines[2:]:
            if not f:
                continue
            k, v = f[0], f[1:].lstrip(" ")
            if k == "E":
                m.eof = v == "1"
            elif k == "S":
                m.status = int(v)
            elif k == "T":
                m.type = v
            elif k == "F":
                m.flow = int(v)
            elif k == "L" and int(v) != len(body):
                raise ValueError("L mismatch")
        if m.type is None and body:
            m.type = "o"
        if m.status is None and verb in ("REP", "ERROR"):
            m.status = 200 if verb == "REP" else 500
        return m

    VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "REP", "ERROR"]

    @staticmethod
    def _path2(p):
        if p.startswith("/#x/") and p[4:].isdigit() and str(int(p[4:])) == p[4:] and int(p[4:]) < 128:
            return bytes([0x80 | int(p[4:])])
        return p.encode() + b"\x00"

    def encode2(self):
        """Version 2 (PROTOCOL.md 8): flags, paths, options, media type, body."""
        final = self.verb in ("REP", "ERROR") and self.eof
        t = 0
        if self.body and self.type not in (None, "o"):
            t = {"j": 1, "t": 2}.get(self.type, 3)
        dflt = 200 if self.verb == "REP" else 500
        opts = (1 if self.flow is not None else 0) | (2 if self.status not in (None, dflt) else 0)
        flags = (Msg.VERBS.index(self.verb) | (0 if self.eof else 0x08) | (0 if final else 0x10)
                 | (t << 5) | (0x80 if opts else 0))
        out = bytes([flags]) + Msg._path2(self.to) + (b"" if final else Msg._path2(self.frm))
        if opts:
            out += bytes([opts]) + (bytes([self.flow]) if opts & 1 else b"")
            out += bytes([self.status >> 8, self.status & 0xFF]) if opts & 2 else b""
        if t == 3:
            out += self.type.encode() + b"\x00"
        return out + self.body

    @staticmethod
    def decode2(b):
        i = [1]

        def path():
            c = b[i[0]]
            if c >= 0x80:
                i[0] += 1
                return "/#x/%d" % (c & 0x7F)
            if c != 0x2F:
                raise ValueError("BAD_PATH (no resource table here)")
            z = b.index(0, i[0])
            p, i[0] = b[i[0]:z].decode("ascii"), z + 1
            return p
        flags = b[0]
        m = Msg(Msg.VERBS[flags & 7], path(), "/#x", eof=not flags & 0x08)
        if flags & 0x10:
            m.frm = path()
        if flags & 0x80:
            opts = b[i[0]]
            i[0] += 1
            if opts & 1:
                m.flow, i[0] = b[i[0]], i[0] + 1
            if opts & 2:
                m.status, i[0] = b[i[0]] << 8 | b[i[0] + 1], i[0] + 2
        t = flags >> 5 & 3
        if t == 3:
            z = b.index(0, i[0])
            m.type, i[0] = b[i[0]:z].decode("ascii"), z + 1
        m.body = b[i[0]:]
        if m.body and m.type is None:
            m.type = ["o", "j", "t"][t]
        if m.status is None and m.verb in ("REP", "ERROR"):
            m.status = 200 if m.verb == "REP" else 500
        return m

    def __repr__(self):
        return "%s %s <- %s E%d S%s T%s %r" % (self.verb, self.to, self.frm, self.eof,
                                              self.status, self.type, self.body[:60])


class Primary:
    """One station on one line: poll() runs one turn and returns the messages completed."""

    def __init__(self, path, addr=1, frame=256, window=7, t1=0.5, version=2):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[4] = attrs[5] = termios.B115200
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        self.addr, self.frame, self.window, self.t1 = addr, frame, window, t1
        self.rxbuf, self.vs, self.vr, self.pending = bytearray(), 0, 0, []
        self.out, self.partial, self.timeouts = [], None, 0
        self.offer, self.version = version, version

    def close(self):
        os.close(self.fd)

    def _frames(self, deadline):
        while True:
            while 0 in self.rxbuf:
                i = self.rxbuf.index(0)
                enc, self.rxbuf = bytes(self.rxbuf[:i]), self.rxbuf[i + 1:]
                if not enc:
                    continue
                raw = cobs_decode(enc)
                if len(raw) < 4 or crc16(raw[:-2]) != raw[-2] | (raw[-1] << 8):
                    raise ValueError("bad frame from station: %s" % enc.hex())
                yield raw[0], raw[1], raw[2:-2]
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return
            self.rxbuf += os.read(self.fd, 4096)

    def _turn(self, data):
        os.write(self.fd, data)
        for addr, c, info in self._frames(time.monotonic() + self.t1):
            if addr == self.addr:
                yield c, info
                if c & 0x10:
                    return
        self.timeouts += 1

    def connect(self):
        info = bytes([self.offer << 4, self.frame >> 8, self.frame & 0xFF, self.window])
        for c, info in self._turn(frame_bytes(self.addr, 0x93, info)):
            if c == 0x73 and len(info) == 4:
                self.version = min(self.offer, info[0] >> 4)
                self.frame = min(self.frame, info[1] << 8 | info[2])
                self.window = min(self.window, info[3])
                self.vs = self.vr = 0
                return info
        raise RuntimeError("no UA to SNRM")

    def send(self, msg):
        b, part = (msg.encode2() if self.version == 2 else msg.encode()), self.frame - 5
        parts = [b[i:i + part] for i in range(0, len(b), part)] or [b""]
        for i, p in enumerate(parts):
            seg = (0x80 if i == 0 else 0) | (0x40 if i < len(parts) - 1 else 0) | (i & 0x3F)
            self.out.append(bytes([seg]) + p)

    def poll(self):
        """One turn: the oldest unacknowledged I-frame (stop and wait) or RR(P)."""
        if self.pending or self.out:
            if not self.pending:
                self.pending.append(self.out.pop(0))
            c = (self.vr << 5) | 0x10 | (self.vs << 1)
            data = frame_bytes(self.addr, c, self.pending[0])
        else:
            data = frame_bytes(self.addr, (self.vr << 5) | 0x11)
        got = []
        for c, info in self._turn(data):
            if c & 1 == 0 or c & 3 == 1:                      # I or S: N(R) acknowledges
                if self.pending and (c >> 5) == (self.vs + 1) % 8:
                    self.pending.pop(0)
                    self.vs = (self.vs + 1) % 8
            if c & 1 == 0 and (c >> 1) & 7 == self.vr:        # the next I-frame in order
                self.vr = (self.vr + 1) % 8
                got += self._segment(info)
            elif c & 3 == 3 and c not in (0x73, 0x63):
                raise RuntimeError("station sent U frame %02x %s" % (c, info.hex()))
        return got

    def _segment(self, info):
        seg, part = info[0], info[1:]
        if seg & 0x80:
            self.partial = bytearray()
        if self.partial is None:
            raise ValueError("segment gap")
        self.partial += part
        if seg & 0x40:
            return []
        raw, self.partial = bytes(self.partial), None
        m = Msg.decode2(raw) if self.version == 2 else Msg.decode(raw)
        return [m]
