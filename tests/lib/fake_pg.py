#!/usr/bin/env python3
# fake_pg.py: a stand-in PostgreSQL server for connection tests, listening
# on 127.0.0.1 at a free port, which it writes to PORTFILE.
#
#   fake_pg.py silent PORTFILE     accepts connections and never answers
#                                  (libpq's connect_timeout expires)
#   fake_pg.py starting PORTFILE   answers every startup packet with
#                                  FATAL 57P03 "the database system is
#                                  starting up", as a server in startup does
#
# It declines SSL and GSSAPI encryption requests ('N') first, as a server
# without them does, writes its process id to PORTFILE.pid (to be stopped
# with kill) and exits after 120 s at most.
import os
import socket
import struct
import sys
import threading
import time

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104


def read_packet(conn):
    head = b""
    while len(head) < 4:
        chunk = conn.recv(4 - len(head))
        if not chunk:
            return None
        head += chunk
    (length,) = struct.unpack("!i", head)
    body = b""
    while len(body) < length - 4:
        chunk = conn.recv(length - 4 - len(body))
        if not chunk:
            return None
        body += chunk
    return body


def starting_up(conn):
    try:
        while True:
            body = read_packet(conn)
            if body is None:
                return
            (code,) = struct.unpack("!i", body[:4])
            if code in (SSL_REQUEST, GSS_REQUEST):
                conn.sendall(b"N")
                continue
            fields = (b"SFATAL\0VFATAL\0C57P03\0"
                      b"Mthe database system is starting up\0\0")
            conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
            return
    finally:
        conn.close()


def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    with open(portfile + ".pid", "w") as f:
        f.write("%d\n" % os.getpid())
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    deadline = time.time() + 120
    held = []
    srv.settimeout(1.0)
    while time.time() < deadline:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        if mode == "silent":
            held.append(conn)
        else:
            threading.Thread(target=starting_up, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
