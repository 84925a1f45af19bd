#!/usr/bin/env python3
"""Sniffs MQTT PUBLISH packets on the loopback interface and measures how long a broker holds each
message: kernel receive timestamp of the PUBLISH into the broker's port to that of the PUBLISH out of it
with the same payload. Run as root during a bench latency run; Ctrl-C or SIGTERM prints percentiles per
broker port. Usage: residence.py PORT[,PORT...] [payload_bytes=64]"""
import signal
import socket
import struct
import sys

ports = {int(p) for p in sys.argv[1].split(',')}
payload_len = int(sys.argv[2]) if len(sys.argv) > 2 else 64
SO_TIMESTAMPNS = 35
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
s.bind(('lo', 0))
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024 * 1024)
inbound = {}   # (port, payload) -> ns
residence = {p: [] for p in ports}
stop = False


def on_signal(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)


def publishes(data):
    i = 0
    while i < len(data):
        b0 = data[i]
        mult, rl, j = 1, 0, i + 1
        while j < len(data):
            d = data[j]
            rl += (d & 0x7F) * mult
            mult *= 128
            j += 1
            if d & 0x80 == 0:
                break
        end = j + rl
        if end > len(data):
            return  # a packet split across segments: not counted
        if b0 & 0xF0 == 0x30 and rl >= payload_len:
            yield data[end - payload_len:end]
        i = end


s.settimeout(0.5)
while not stop:
    try:
        data, anc, _, addr = s.recvmsg(65536, 1024)
    except socket.timeout:
        continue
    except InterruptedError:
        continue
    if addr[2] != 0:  # PACKET_HOST only: loopback shows each packet outgoing and incoming
        continue
    ts = None
    for level, typ, val in anc:
        if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
            sec, nsec = struct.unpack('qq', val[:16])
            ts = sec * 1_000_000_000 + nsec
    if ts is None or len(data) < 14 + 20 + 20:
        continue
    ip = data[14:]
    if ip[0] >> 4 != 4 or ip[9] != 6:
        continue
    ihl = (ip[0] & 0x0F) * 4
    tcp = ip[ihl:]
    sport, dport = struct.unpack('!HH', tcp[:4])
    off = (tcp[12] >> 4) * 4
    body = tcp[off:]
    if not body:
        continue
    if dport in ports:
        for p in publishes(body):
            inbound[(dport, p)] = ts
    elif sport in ports:
        for p in publishes(body):
            t0 = inbound.pop((sport, p), None)
            if t0 is not None:
                residence[sport].append((ts - t0) / 1000.0)

for port, xs in sorted(residence.items()):
    if not xs:
        print(f"port {port}: no messages matched")
        continue
    xs.sort()
    pct = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
    print(f"port {port}: {len(xs)} messages, residence µs p50 {pct(0.5):.1f} p90 {pct(0.9):.1f} "
          f"p99 {pct(0.99):.1f} p99.9 {pct(0.999):.1f} max {xs[-1]:.1f}")
