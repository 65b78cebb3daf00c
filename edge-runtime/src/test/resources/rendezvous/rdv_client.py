#!/usr/bin/python3
"""A non-Java rendezvous client for Ferry's tests, using Debian's python3-protobuf.

The message classes are built at run time from a FileDescriptorSet that protoc made from
rendezvous.proto (protoc --descriptor_set_out), so the script works with any protobuf runtime
version (generated _pb2 modules of a newer protoc refuse older runtimes).

Usage: rdv_client.py DESCRIPTOR_SET HOST PORT
Protocol with the test, one line each way on stdout/stdin:
  registers QmPy in py-app, enters rendezvous, prints SNAPSHOT <ids>; then prints every
  announcement as "REGISTER id addr" / "UNREGISTER id" until it has seen an UNREGISTER;
  then discovers py-app on a new connection and prints DISCOVER <ids>.
"""
import socket
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def message_class(descriptor_set_path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set_path, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fd in fds.file:
        pool.Add(fd)
    desc = pool.FindMessageTypeByName("rendezvous.pb.Message")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def send(sock, msg):
    body = msg.SerializeToString()
    sock.sendall(varint(len(body)) + body)


def read_exact(f, n):
    data = f.read(n)
    if len(data) != n:
        raise EOFError("connection closed")
    return data


def receive(f, cls):
    n, shift = 0, 0
    while True:
        b = read_exact(f, 1)[0]
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
    msg = cls()
    msg.ParseFromString(read_exact(f, n))
    return msg


def say(line):
    print(line, flush=True)


def main():
    Message = message_class(sys.argv[1])
    host, port = sys.argv[2], int(sys.argv[3])
    sock = socket.create_connection((host, port), timeout=10)
    f = sock.makefile("rb")

    reg = Message(type=Message.REGISTER)
    r = reg.register.add(ns="py-app")
    r.peer.id = "QmPy"
    r.peer.addrs.append(b"http://python.example/")
    send(sock, reg)
    rdv = Message(type=Message.RENDEZVOUS)
    rdv.rendezvous.add(ns="py-app")
    send(sock, rdv)

    snap = receive(f, Message)
    assert snap.type == Message.REGISTER, snap
    say("SNAPSHOT " + ",".join(e.peer.id for e in snap.register))

    done = False
    while not done:
        m = receive(f, Message)
        for e in m.register:
            say("REGISTER %s %s %s" % (e.ns, e.peer.id, ",".join(a.decode() for a in e.peer.addrs)))
        for e in m.unregister:
            say("UNREGISTER %s %s" % (e.ns, e.peer.id))
            done = True

    d = socket.create_connection((host, port), timeout=10)
    disc = Message(type=Message.DISCOVER)
    disc.discovery.add(namespace="py-app")
    send(d, disc)
    ans = receive(d.makefile("rb"), Message)
    say("DISCOVER " + ",".join(e.peer.id for e in ans.register))
    d.close()
    sock.close()


if __name__ == "__main__":
    main()
