#!/usr/bin/env python3
"""The ingest benchmark's publisher (scripts/ingest-bench.py runs it pinned to its own core).

    python3 scripts/ingest-bench/publisher.py HOST PORT TOPICS

An MQTT 3.1.1 client on a raw TCP socket: CONNECT (no keepalive, so nothing but PUBLISH is
ever sent after it), then QoS 0 PUBLISH packets built by hand. A client library costs tens of
microseconds a message in Python; with the fixed header and topic of each topic prebuilt, and
one `sendall` per millisecond tick for all the messages due in that tick, one core reaches
≈40,000 messages a second.

Commands come as JSON lines on stdin, answers go as JSON lines on stdout:

- `{"cmd": "run", "rate": R, "count": N}`: N messages at R a second, round robin over the
  topics `bench/t/000`.. (the sequence number goes on from the last message, so message `s`
  goes to topic `s % TOPICS`). Exactly N are sent: if the broker or this process cannot keep
  up, the run takes longer and the answer says so (`achieved`).
- `{"cmd": "round"}`: one message on every topic (used to see that a page is subscribed).

Every payload is 64 bytes: `{"s":<seq>,"t":<µs since the epoch>}` padded with spaces. JSON,
so that a chart can read `$.s`; the app's value card with no JSON path shows it as text, from
which the probe reads both numbers back. `t` is stamped when the tick's batch is built, just
before it is written to the socket.
"""
import json
import socket
import sys
import time

PAYLOAD_BYTES = 64


def encode_length(n):
    out = bytearray()
    while True:
        d = n % 128
        n //= 128
        out.append(d | (128 if n else 0))
        if not n:
            return bytes(out)


def mqtt_str(s):
    b = s.encode()
    return len(b).to_bytes(2, "big") + b


def topic_name(i):
    return f"bench/t/{i:03d}"


class Publisher:
    def __init__(self, host, port, topics):
        self.topics = topics
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        client_id = f"ingest-bench-pub-{time.time_ns() % 1_000_000}"
        body = mqtt_str("MQTT") + bytes([4, 0x02, 0, 0]) + mqtt_str(client_id)
        self.sock.sendall(b"\x10" + encode_length(len(body)) + body)
        connack = self.sock.recv(4)
        if connack[:1] != b"\x20" or connack[3:4] != b"\x00":
            sys.exit(f"publisher: CONNECT refused: {connack!r}")
        # Everything before the payload, per topic: the payload's length is fixed.
        self.heads = []
        for i in range(topics):
            variable = mqtt_str(topic_name(i))
            self.heads.append(b"\x30" + encode_length(len(variable) + PAYLOAD_BYTES) + variable)
        self.seq = 0

    def packet(self, seq, t_us):
        payload = f'{{"s":{seq},"t":{t_us}}}'.ljust(PAYLOAD_BYTES).encode()
        return self.heads[seq % self.topics] + payload

    def batch(self, n):
        t_us = time.time_ns() // 1000
        parts = []
        for _ in range(n):
            self.seq += 1
            parts.append(self.packet(self.seq, t_us))
        self.sock.sendall(b"".join(parts))

    def run(self, rate, count):
        """`count` messages at `rate` a second, in batches of what is due each millisecond."""
        first = self.seq + 1
        sent = 0
        start_wall = time.time()
        start = time.perf_counter()
        # A batch is at most 5 ms worth: after a stall, catch up gradually, not in one burst.
        cap = max(1, int(rate * 0.005))
        lag_ms = 0.0
        while sent < count:
            now = time.perf_counter()
            due = min(count, int((now - start) * rate) + 1) - sent
            if due <= 0:
                # Sleep to the next message's time, at most a millisecond.
                time.sleep(min(0.001, (sent / rate) - (now - start)) if rate else 0.001)
                continue
            n = min(due, cap)
            self.batch(n)
            sent += n
            lag_ms = max(lag_ms, ((now - start) - (sent / rate)) * 1000)
        end = time.perf_counter()
        secs = end - start
        return {
            "first_seq": first, "last_seq": self.seq, "sent": sent,
            "start_ms": start_wall * 1000, "end_ms": (start_wall + secs) * 1000,
            "secs": secs, "achieved": sent / secs if secs > 0 else None,
            "max_lag_ms": lag_ms,
        }

    def round(self):
        first = self.seq + 1
        self.batch(self.topics)
        return {"first_seq": first, "last_seq": self.seq, "sent": self.topics}


def main():
    host, port, topics = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pub = Publisher(host, port, topics)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "run":
            answer = pub.run(cmd["rate"], cmd["count"])
        elif cmd["cmd"] == "round":
            answer = pub.round()
        elif cmd["cmd"] == "quit":
            return
        else:
            answer = {"error": f"unknown command {cmd!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
