#!/usr/bin/env python3
"""Reference generator for the RP/serial test vectors (PROTOCOL.md section 7).

A third, deliberately plain implementation of the wire format: the Java and C codecs are both
tested against what this script writes, so the two stay byte-compatible. Run it from anywhere:
    python3 serial-protocol/vectors/gen_vectors.py
It rewrites the *.txt files beside it; the output is deterministic (seeded).
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20261125)


# ---- CRC-16/X-25 --------------------------------------------------------------------------
def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


assert crc16(b"123456789") == 0x906E


# ---- COBS -----------------------------------------------------------------------------------
def cobs_encode(data):
    out = bytearray()
    block = bytearray()
    for i, b in enumerate(data):
        if b == 0:
            out.append(len(block) + 1)
            out += block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(0xFF)
                out += block
                block = bytearray()
                if i == len(data) - 1:      # an FF block ending the data needs no final code
                    return bytes(out)
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def cobs_decode(enc):
    out = bytearray()
    i = 0
    while i < len(enc):
        c = enc[i]
        if c == 0 or i + c > len(enc):
            return None
        out += enc[i + 1:i + c]
        i += c
        if c < 0xFF and i < len(enc):
            out.append(0)
    return bytes(out)


def frame_bytes(addr, ctrl, info=b""):
    raw = bytes([addr, ctrl]) + info
    c = crc16(raw)
    return cobs_encode(raw + bytes([c & 0xFF, c >> 8])) + b"\x00"


def wire_max(n):
    return n + 2 + n // 254


# ---- control byte -----------------------------------------------------------------------------
S_KINDS = {0: "RR", 1: "RNR", 2: "REJ"}
U_CODES = {0x83: "SNRM", 0x43: "DISC", 0x63: "UA", 0x0F: "DM", 0x87: "FRMR", 0x03: "UI", 0xE3: "TEST",
           0x23: "UP"}
U_BYTES = {v: k for k, v in U_CODES.items()}


def i_ctrl(ns, nr, pf):
    return (nr << 5) | (pf << 4) | (ns << 1)


def s_ctrl(kind, nr, pf):
    return (nr << 5) | (pf << 4) | ({"RR": 0, "RNR": 1, "REJ": 2}[kind] << 2) | 1


def u_ctrl(name, pf):
    return U_BYTES[name] | (pf << 4)


def describe_ctrl(c):
    pf = (c >> 4) & 1
    if c & 1 == 0:
        return "I %d %d %d" % ((c >> 1) & 7, c >> 5, pf)
    if c & 3 == 1:
        s = (c >> 2) & 3
        return "S %s %d %d" % (S_KINDS[s], c >> 5, pf) if s in S_KINDS else "INVALID"
    base = c & ~0x10
    return "U %s %d" % (U_CODES[base], pf) if base in U_CODES else "INVALID"


# ---- paths --------------------------------------------------------------------------------------
def normalize(path):
    if not path or path[0] != "/" or len(path) > 255 or "//" in path:
        return None
    if any(not (0x21 <= ord(ch) <= 0x7E) for ch in path):
        return None
    out = []
    for i, ch in enumerate(path):
        if ch == "#" and out and out[-1] == "/" and len(out) > 1:
            out.pop()
        if ch == "/" and out and out[-1] == "#":
            continue
        out.append(ch)
    s = "".join(out)
    if len(s) > 1 and s.endswith("/"):
        s = s[:-1]
    # segment checks on the normalised form, splitting tags off as separate members
    for seg in s.replace("#", "/").split("/")[1:]:
        if seg in (".", ".."):
            return None
    return s


# ---- RP header ------------------------------------------------------------------------------
def encode_msg(verb, to, frm, eof=True, flow=None, status=None, btype=None, body=b""):
    lines = ["%s %s" % (verb, to), frm]
    if not eof:
        lines.append("E0")
    if flow is not None:
        lines.append("F%d" % flow)
    if status is not None:
        lines.append("S%d" % status)
    if body:
        if btype is not None and btype != "o":
            lines.append("T" + btype)
        lines.append("L%d" % len(body))
    head = ("\n".join(lines) + "\n").encode()
    return head + (b"\n" + body if body else b"")


def decoded_fields(verb, to, frm, eof=True, flow=None, status=None, btype=None, body=b""):
    if status is None and verb in ("REP", "ERROR"):
        status = 200 if verb == "REP" else 500
    if body and btype is None:
        btype = "o"
    return [verb, normalize(to), normalize(frm), "1" if eof else "0",
            "-" if flow is None else str(flow), "-" if status is None else str(status),
            "-" if not body else btype, body.hex() if body else "-"]


# ---- RP header, version 2 (PROTOCOL.md 8) ------------------------------------------------------
VERBS2 = ["GET", "POST", "PUT", "PATCH", "DELETE", "REP", "ERROR"]
TABLE2 = ["/info", "/sensors/temp", "/leds/0", "/echo", "/blob", "/time"]


def path2(p, table):
    n = normalize(p)
    assert n is not None, p
    if n.startswith("/#x/") and n[4:].isdigit() and str(int(n[4:])) == n[4:] and int(n[4:]) < 128:
        return bytes([0x80 | int(n[4:])])
    if table and n in table[:31]:
        return bytes([table.index(n) + 1])
    return n.encode() + b"\x00"


def encode_msg2(verb, to, frm, eof=True, flow=None, status=None, btype=None, body=b"", table=()):
    v = VERBS2.index(verb)
    final_reply = verb in ("REP", "ERROR") and eof
    dflt = 200 if verb == "REP" else 500
    t = 0
    if body and btype not in (None, "o"):
        t = {"j": 1, "t": 2}.get(btype, 3)
    opts = (1 if flow is not None else 0) | (2 if status is not None and status != dflt else 0)
    flags = v | (0 if eof else 0x08) | (0 if final_reply else 0x10) | (t << 5) | (0x80 if opts else 0)
    out = bytes([flags]) + path2(to, table)
    if not final_reply:
        out += path2(frm, table)
    if opts:
        out += bytes([opts])
        if flow is not None:
            out += bytes([flow])
        if opts & 2:
            out += bytes([status >> 8, status & 0xFF])
    if t == 3:
        out += btype.encode() + b"\x00"
    return out + body


def gen_messages2():
    T = TABLE2
    # (_, name, args, kwargs); written as "ok" when both encoders write it, "okj" when only an
    # encoder that uses the resource table (the host's) does; a station writes paths in full
    cases = [
        ("okj", "get-index", ("GET", "/leds/0", "/#x/5"), {}),
        ("ok", "rep-small", ("REP", "/#x/5", "/leds/0#streams/9"), dict(btype="j", body=b"true")),
        ("ok", "get-literal", ("GET", "/sensors/temp", "/#x/0"), {}),
        ("ok", "observe", ("GET", "/sensors/temp", "/#x/127"), dict(eof=False, btype="j", body=b"50")),
        ("ok", "rep-stream", ("REP", "/#x/7", "/sensors/temp#streams/3"),
         dict(eof=False, btype="j", body=b'{"c":21.5,"n":3}')),
        ("ok", "error-404", ("ERROR", "/#x/12", "/x#streams/2"), dict(status=404, btype="t", body=b"not found")),
        ("ok", "error-default", ("ERROR", "/#x/12", "/x#streams/2"), dict(btype="t", body=b"busy")),
        ("ok", "put-flow", ("PUT", "/sensors/temp#streams/3#flow", "/#x/9"), dict(flow=50, btype="j", body=b"false")),
        ("ok", "delete", ("DELETE", "/sensors/temp#streams/3", "/#x/10"), {}),
        ("ok", "post-media", ("POST", "/echo", "/#x/11"), dict(btype="application/cbor", body=b"\x00\xa1")),
        ("ok", "post-octets", ("POST", "/echo", "/#x/11"), dict(body=b"\x00\x01\x02")),
        ("ok", "mcu-request", ("GET", "/#runtime/time/unix_ms", "/#r/1"), {}),
        ("ok", "host-answer", ("REP", "/#r/1", "/#runtime/time/unix_ms"), dict(btype="j", body=b"1700000000123")),
        ("ok", "rep-status-flow", ("REP", "/#x/3", "/blob#streams/1"), dict(eof=False, flow=0, status=206, body=b"\xff")),
        ("okj", "schema-index", ("GET", "/info", "/#x/1"), {}),
        ("ok", "schema-tag", ("GET", "/info#schema", "/#x/1"), {}),
    ]
    lines = ["table " + " ".join(T)]
    for _, name, args, kw in cases:
        msg = encode_msg2(*args, table=T, **kw)
        kind = "ok" if msg == encode_msg2(*args, table=(), **kw) else "okj"
        verb, to, frm = args
        shown_from = "/#x" if verb in ("REP", "ERROR") and kw.get("eof", True) else frm
        f = decoded_fields(verb, to, shown_from, **kw)
        lines.append("%s %s %s %s" % (kind, name, msg.hex(), " ".join(f)))
    bad = [
        ("empty", b"", "BAD_HEADER"),
        ("verb-7", b"\x17\x03\x85", "UNKNOWN_VERB"),
        ("request-without-from", b"\x00\x03", "BAD_HEADER"),
        ("final-e0-without-from", b"\x0d\x85", "BAD_HEADER"),
        ("index-beyond-table", b"\x10\x07\x85", "BAD_PATH"),
        ("index-zero", b"\x10\x00\x85", "BAD_PATH"),
        ("bad-path-byte", b"\x10\x41\x85", "BAD_PATH"),
        ("literal-unterminated", b"\x10/abc", "BAD_HEADER"),
        ("literal-bad-path", b"\x10/a//b\x00\x85", "BAD_PATH"),
        ("from-missing", b"\x10\x03", "BAD_HEADER"),
        ("type-without-body", b"\x25\x85", "BAD_HEADER"),
        ("options-zero", b"\x85\x85\x00", "BAD_HEADER"),
        ("options-reserved", b"\x85\x85\x04", "BAD_HEADER"),
        ("flow-over-100", b"\x90\x03\x85\x01\x65", "BAD_HEADER"),
        ("status-on-get", b"\x90\x03\x85\x02\x00\xc8", "BAD_HEADER"),
        ("status-too-small", b"\x85\x85\x02\x00\x63", "BAD_HEADER"),
        ("status-truncated", b"\x85\x85\x02\x01", "BAD_HEADER"),
        ("media-not-a-type", b"\x65\x85j\x00x", "BAD_HEADER"),
        ("media-unterminated", b"\x65\x85a/b", "BAD_HEADER"),
    ]
    for name, msg, err in bad:
        lines.append("bad %s %s %s" % (name, msg.hex() or "-", err))
    write("messages2.txt", ["table <the resource table: entry 1, 2, ...>",
                            "ok|okj <name> <hex> <verb> <to> <from> <eof> <flow> <status> <type> <body>",
                            "bad <name> <hex> <ERROR>"], lines)
    return encode_msg2("GET", "/leds/0", "/#x/5", table=T), encode_msg2("REP", "/#x/5", "/", btype="j", body=b"true")


def segments(n, msg):
    part = n - 5
    chunks = [msg[i:i + part] for i in range(0, len(msg), part)] or [b""]
    segs = []
    for i, ch in enumerate(chunks):
        b = (0x80 if i == 0 else 0) | (0x40 if i < len(chunks) - 1 else 0) | (i % 64)
        segs.append(bytes([b]) + ch)
    return segs


# ---- writers ------------------------------------------------------------------------------
def write(name, header, lines):
    with open(os.path.join(HERE, name), "w") as f:
        f.write("# Generated by gen_vectors.py - do not edit by hand. Format: PROTOCOL.md section 7.\n")
        for h in header:
            f.write("# " + h + "\n")
        for ln in lines:
            f.write(ln + "\n")


def gen_crc():
    inputs = [b"", b"123456789", b"\x00", b"\xff", b"\x01\x10", bytes(range(256))]
    inputs += [bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 80))) for _ in range(10)]
    write("crc.txt", ["<input hex> <crc-16/x-25>"],
          ["%s %04x" % (d.hex() or "-", crc16(d)) for d in inputs])


def gen_cobs():
    cases = [b"", b"\x00", b"\x00\x00", bytes.fromhex("11220033"), bytes.fromhex("11223344"),
             bytes.fromhex("11000000"), bytes(range(1, 255)), bytes(range(0, 255)),
             bytes(range(1, 256)), bytes(range(2, 256)) + b"\x00", bytes(range(3, 256)) + b"\x00\x01",
             b"\x01" * 253, b"\x01" * 254, b"\x01" * 255, b"\x01" * 508, b"\x01" * 509,
             b"\x00" * 10, (b"\x01" * 254 + b"\x00") * 2]
    cases += [bytes(rnd.choice([0, rnd.randrange(1, 256)]) for _ in range(rnd.randrange(1, 600)))
              for _ in range(12)]
    lines = []
    for d in cases:
        e = cobs_encode(d)
        assert cobs_decode(e) == d, d.hex()
        assert 0 not in e
        lines.append("%s %s" % (d.hex() or "-", e.hex()))
    write("cobs.txt", ["<raw hex> <encoded hex without delimiter>"], lines)


def gen_frames():
    get32 = encode_msg("GET", "/sensors/temp", "/#r/42")
    ok = [
        ("get-32", 0x01, i_ctrl(0, 0, 1), b"\x80" + get32),
        ("snrm", 0x01, u_ctrl("SNRM", 1), bytes([0x10, 0x01, 0x00, 0x04])),
        ("ua", 0x01, u_ctrl("UA", 1), bytes([0x10, 0x00, 0x40, 0x01])),
        ("ua-2.1", 0x01, u_ctrl("UA", 1), bytes([0x21, 0x00, 0x40, 0x01])),
        ("disc", 0x07, u_ctrl("DISC", 1), b""),
        ("dm", 0x07, u_ctrl("DM", 1), b""),
        ("frmr", 0x02, u_ctrl("FRMR", 1), bytes([0x0D, 0x42, 0x01])),
        ("ui-broadcast", 0xFF, u_ctrl("UI", 0), b"\x80" + encode_msg("PUT", "/leds/0", "/#r/1",
                                                                     btype="j", body=b"true")),
        ("test", 0x03, u_ctrl("TEST", 1), b"ping\x00pong"),
        ("up", 0xFF, u_ctrl("UP", 1), bytes([0x01, 0x02, 0x05])),
        ("rr", 0x01, s_ctrl("RR", 3, 1), b""),
        ("rnr", 0x01, s_ctrl("RNR", 5, 1), b""),
        ("rej", 0x01, s_ctrl("REJ", 2, 0), b""),
        ("i-final", 0x01, i_ctrl(7, 7, 1), b"\x80" + encode_msg("REP", "/#r/42", "/sensors/temp#streams/5",
                                                               eof=False, btype="j", body=b'{"c":21.5}')),
        ("zeros", 0x01, i_ctrl(1, 2, 0), b"\x00" * 40),
        ("stuff-worst-256", 0x01, i_ctrl(2, 0, 0), b"\x00" * 252),
        ("no-zero-256", 0x01, i_ctrl(3, 0, 1), bytes(range(1, 253))),
        ("max-2048", 0x01, i_ctrl(4, 1, 1), bytes(rnd.randrange(1, 256) for _ in range(2044))),
        ("i-empty", 0x01, 0x00, b""),
    ]
    lines = []
    for name, a, c, info in ok:
        lines.append("ok %s %s %02x %02x %s" % (name, frame_bytes(a, c, info).hex(), a, c, info.hex() or "-"))
    good = frame_bytes(0x01, i_ctrl(0, 0, 1), b"\x80" + get32)
    raw = bytes([0x01, i_ctrl(0, 0, 1)]) + b"\x80" + get32
    c = crc16(raw)
    flipped = bytearray(raw + bytes([c & 0xFF, c >> 8]))
    flipped[5] ^= 0x04
    bad_crc = cobs_encode(bytes(flipped)) + b"\x00"
    runt3 = cobs_encode(b"\x01\x10\x00") + b"\x00"
    runt1 = b"\x02\x01\x00"
    bad_cobs = bytes([0x05, 0x01, 0x02, 0x00])          # code promises 4 bytes, 2 present
    bad_cobs2 = bytes([0x03, 0x01, 0x02, 0x09, 0x01, 0x00])
    overlong = cobs_encode(bytes([0x01, 0x00]) + b"\x55" * 300) + b"\x00"   # for N = 64
    bad = [
        ("bad-crc", bad_crc, "BAD_CRC", 256),
        ("bad-crc-trailer", good[:-3] + bytes([good[-3] ^ 1]) + good[-2:], "BAD_CRC", 256),
        ("runt-3", runt3, "RUNT", 256),
        ("runt-1", runt1, "RUNT", 256),
        ("bad-cobs-short", bad_cobs, "BAD_COBS", 256),
        ("bad-cobs-inner", bad_cobs2, "BAD_COBS", 256),
        ("overlong-64", overlong, "OVERLONG", 64),
        ("overlong-65-at-64", frame_bytes(1, 0x10, bytes(range(1, 62))), "OVERLONG", 64),
        ("overlong-zeros-at-256", frame_bytes(1, 0x10, b"\x00" * 253), "OVERLONG", 256),
    ]
    for name, data, err, n in bad:
        assert data.count(0) == 1 and data[-1] == 0, name
        lines.append("bad %s %s %s %d" % (name, data.hex(), err, n))
    # a frame of exactly N = 64 unstuffed bytes is accepted at N = 64
    lines.append("ok max-64 %s 01 10 %s" % (frame_bytes(1, 0x10, bytes(range(1, 61))).hex(),
                                            bytes(range(1, 61)).hex()))
    write("frames.txt", ["ok <name> <line hex> <addr> <ctrl> <info>",
                         "bad <name> <line hex> <ERROR> <frame size N>"], lines)
    return frame_bytes(0x01, i_ctrl(0, 0, 1), b"\x80" + get32)


def gen_control():
    lines = ["%02x %s" % (c, describe_ctrl(c)) for c in range(256)]
    write("control.txt", ["<control> I ns nr pf | S RR|RNR|REJ nr pf | U NAME pf | INVALID"], lines)


def gen_messages():
    ok = [
        ("get", dict(verb="GET", to="/sensors/temp", frm="/#r/42")),
        ("get-tags", dict(verb="GET", to="/sensors/temp#", frm="/#r/1")),
        ("observe", dict(verb="GET", to="/sensors/temp", frm="/#r/7", eof=False)),
        ("rep-json", dict(verb="REP", to="/#r/42", frm="/sensors/temp#streams/5", eof=False,
                          btype="j", body=b'{"c":21.5,"n":3}')),
        ("rep-end", dict(verb="REP", to="/#r/42", frm="/sensors/temp#streams/5")),
        ("put-flow", dict(verb="PUT", to="/sensors/temp#streams/5#flow", frm="/#r/8",
                          btype="j", body=b"false")),
        ("delete", dict(verb="DELETE", to="/sensors/temp#streams/5", frm="/#r/9")),
        ("post-echo", dict(verb="POST", to="/echo", frm="/#r/10", btype="t", body=b"hello\nworld")),
        ("blob", dict(verb="REP", to="/#r/11", frm="/blob#streams/1", eof=False,
                      body=bytes((i * 31 + 7) & 0xFF for i in range(200)))),
        ("flow-50", dict(verb="REP", to="/#r/12", frm="/x#streams/2", eof=False, flow=50,
                         btype="j", body=b"1")),
        ("error-404", dict(verb="ERROR", to="/#r/13", frm="/nope", status=404, btype="t",
                           body=b"no such resource")),
        ("error-default", dict(verb="ERROR", to="/#r/14", frm="/x")),
        ("rep-201", dict(verb="REP", to="/#r/15", frm="/leds/0#streams/1", status=201)),
        ("media-type", dict(verb="POST", to="/cfg", frm="/#r/16", btype="application/cbor",
                            body=b"\xa1\x61\x61\x01")),
        ("patch", dict(verb="PATCH", to="/cfg/x", frm="/#requests/17", btype="j", body=b"{}")),
        ("root", dict(verb="GET", to="/", frm="/#r/18")),
        ("empty-body-json-zero", dict(verb="PUT", to="/leds/0", frm="/#r/19", btype="j", body=b"0")),
    ]
    lines = []
    for name, kw in ok:
        msg = encode_msg(kw["verb"], kw["to"], kw["frm"], kw.get("eof", True), kw.get("flow"),
                         kw.get("status"), kw.get("btype"), kw.get("body", b""))
        f = decoded_fields(kw["verb"], kw["to"], kw["frm"], kw.get("eof", True), kw.get("flow"),
                           kw.get("status"), kw.get("btype"), kw.get("body", b""))
        lines.append("ok %s %s %s" % (name, msg.hex(), " ".join(f)))
    # decoder leniency: non-canonical but valid inputs, decoded to normal form
    lenient = [
        ("unnormal-paths", b"GET /a/b/#x/\n/#r/1/\n", ["GET", "/a/b#x", "/#r/1", "1", "-", "-", "-", "-"]),
        ("explicit-defaults", b"REP /#r/1\n/x\nE1\nS200\n", ["REP", "/#r/1", "/x", "1", "-", "200", "-", "-"]),
        ("blank-line-no-body", b"GET /x\n/#r/1\n\n", ["GET", "/x", "/#r/1", "1", "-", "-", "-", "-"]),
        ("no-length", b"POST /echo\n/#r/1\nTt\n\nhi", ["POST", "/echo", "/#r/1", "1", "-", "-", "t", "6869"]),
        ("ext-key", b"GET /x\n/#r/1\nzwhatever\n", ["GET", "/x", "/#r/1", "1", "-", "-", "-", "-"]),
        ("fields-any-order", b"REP /#r/1\n/x\nL2\nTj\nE0\n\n{}", ["REP", "/#r/1", "/x", "0", "-", "200", "j", "7b7d"]),
        ("body-with-nul", b"POST /e\n/#r/1\nL3\n\n\x00\x0a\x00", ["POST", "/e", "/#r/1", "1", "-", "-", "o", "000a00"]),
    ]
    for name, msg, f in lenient:
        lines.append("ok %s %s %s" % (name, msg.hex(), " ".join(f)))
    bad = [
        ("unknown-verb", b"FETCH /x\n/#r/1\n", "UNKNOWN_VERB"),
        ("lower-verb", b"get /x\n/#r/1\n", "UNKNOWN_VERB"),
        ("empty", b"", "BAD_HEADER"),
        ("no-from", b"GET /x\n", "BAD_HEADER"),
        ("no-space", b"GET/x\n/#r/1\n", "BAD_HEADER"),
        ("two-spaces", b"GET  /x\n/#r/1\n", "BAD_PATH"),
        ("relative-to", b"GET x\n/#r/1\n", "BAD_PATH"),
        ("double-slash", b"GET /a//b\n/#r/1\n", "BAD_PATH"),
        ("dot-dot", b"GET /a/../b\n/#r/1\n", "BAD_PATH"),
        ("control-char", b"GET /a\tb\n/#r/1\n", "BAD_PATH"),
        ("unknown-key", b"GET /x\n/#r/1\nQ1\n", "BAD_HEADER"),
        ("dup-key", b"GET /x\n/#r/1\nE0\nE1\n", "BAD_HEADER"),
        ("bad-eof", b"GET /x\n/#r/1\nE2\n", "BAD_HEADER"),
        ("flow-101", b"GET /x\n/#r/1\nF101\n", "BAD_HEADER"),
        ("flow-lead-zero", b"GET /x\n/#r/1\nF05\n", "BAD_HEADER"),
        ("status-on-get", b"GET /x\n/#r/1\nS200\n", "BAD_HEADER"),
        ("status-range", b"REP /x\n/#r/1\nS99\n", "BAD_HEADER"),
        ("length-mismatch", b"POST /x\n/#r/1\nL5\n\nabc", "BAD_HEADER"),
        ("type-no-body", b"POST /x\n/#r/1\nTj\n", "BAD_HEADER"),
        ("length-no-body", b"POST /x\n/#r/1\nL0\n", "BAD_HEADER"),
        ("no-final-lf", b"GET /x\n/#r/1", "BAD_HEADER"),
        ("empty-type", b"POST /x\n/#r/1\nT\nL1\n\na", "BAD_HEADER"),
        ("long-path", b"GET /" + b"a" * 255 + b"\n/#r/1\n", "BAD_PATH"),
    ]
    for name, msg, err in bad:
        lines.append("bad %s %s %s" % (name, msg.hex() or "-", err))
    write("messages.txt", ["ok <name> <hex> <verb> <to> <from> <eof> <flow> <status> <type> <body>",
                           "bad <name> <hex> <ERROR>"], lines)


def gen_paths():
    cases = ["/", "/a", "/a/", "/a/#x", "/a#x", "/a/#/x", "/a#/x", "/#r/1", "/#requests/17",
             "/a/b/#streams/5/#flow", "/a#streams/5#flow", "/a/#", "/a#", "/#", "/sensors/temp",
             "/a/b/", "/~x-y_z.1"]
    bad = ["", "a", "//", "/a//b", "/a/./b", "/a/..", "/a b", "/a\x7f", "x/", "/" + "a" * 255]
    lines = []
    for p in cases:
        n = normalize(p)
        assert n is not None, p
        assert normalize(n) == n
        lines.append("ok %s %s" % (p, n))
    for p in bad:
        assert normalize(p) is None, repr(p)
        shown = p.encode().hex()
        lines.append("bad %s BAD_PATH" % ("hex:" + shown if shown else "hex:-"))
    write("paths.txt", ["ok <input> <normal form>", "bad hex:<input as hex> BAD_PATH"], lines)


def gen_segments():
    lines = []
    msgs = [encode_msg("GET", "/x", "/#r/1"),
            encode_msg("POST", "/echo", "/#r/2", btype="t", body=b"x" * 100),
            encode_msg("REP", "/#r/3", "/blob#streams/1", eof=False, body=bytes(range(256)) * 3)]
    for n in (32, 64, 256):
        for m in msgs:
            segs = segments(n, m)
            assert b"".join(s[1:] for s in segs) == m
            lines.append("%d %s %d %s" % (n, m.hex(), len(segs), ",".join(s.hex() for s in segs)))
    write("segments.txt", ["<frame size N> <message hex> <count> <segments hex, comma-separated>"], lines)


if __name__ == "__main__":
    gen_crc()
    gen_cobs()
    example = gen_frames()
    gen_control()
    gen_messages()
    req2, rep2 = gen_messages2()
    for label, m in (("request", req2), ("reply", rep2)):
        line = b"\x00" + frame_bytes(1, i_ctrl(0, 0, 1), b"\x80" + m)
        print("v2 %s (%d bytes on the line): %s" % (label, len(line), line.hex(" ")))
    gen_paths()
    gen_segments()
    print("get-32 example (%d bytes): %s" % (len(example), example.hex(" ")))
