#!/usr/bin/env python3
"""The explorer benchmark's publisher (scripts/explorer-bench.py runs it pinned to its own core).

    python3 scripts/explorer-bench/publisher.py HOST PORT TOPICS

The ingest benchmark's raw-socket publisher (scripts/ingest-bench/publisher.py: QoS 0 PUBLISH
packets built by hand, one `sendall` per millisecond tick) with the explorer's topics and
payloads: topic `s % TOPICS` is `bench/dev<i // 100>/t<i % 100>` (three digits, two: 100 devices
of 100 topics for 10,000), and every payload is 16 bytes, `{"s":<seq>}` padded with spaces,
so every packet is 36 bytes.

Commands (JSON lines on stdin, answers on stdout), as the ingest publisher's:

- `{"cmd": "retain"}`: one RETAINED message on every topic (sequence numbers go on).
- `{"cmd": "run", "rate": R, "count": N}`: N messages at R a second, round robin, not retained.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "ingest-bench"))
import publisher as base  # noqa: E402  (scripts/ingest-bench/publisher.py)

PAYLOAD_BYTES = 16


def topic_name(i):
    return f"bench/dev{i // 100:03d}/t{i % 100:02d}"


def payload(seq):
    return f'{{"s":{seq}}}'.ljust(PAYLOAD_BYTES).encode()


class Publisher(base.Publisher):
    def __init__(self, host, port, topics):
        super().__init__(host, port, topics)
        self.heads = []
        for i in range(topics):
            variable = base.mqtt_str(topic_name(i))
            self.heads.append(b"\x30" + base.encode_length(len(variable) + PAYLOAD_BYTES) + variable)

    def packet(self, seq, t_us):
        return self.heads[seq % self.topics] + payload(seq)

    def retain(self):
        """One retained message per topic, in one write."""
        first = self.seq + 1
        parts = []
        for _ in range(self.topics):
            self.seq += 1
            head = self.heads[self.seq % self.topics]
            parts.append(b"\x31" + head[1:] + payload(self.seq))
        self.sock.sendall(b"".join(parts))
        return {"first_seq": first, "last_seq": self.seq, "sent": self.topics}


def main():
    host, port, topics = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pub = Publisher(host, port, topics)
    print(json.dumps({"ready": True, "packet_bytes": len(pub.packet(1, 0))}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "run":
            answer = pub.run(cmd["rate"], cmd["count"])
        elif cmd["cmd"] == "retain":
            answer = pub.retain()
        elif cmd["cmd"] == "quit":
            return
        else:
            answer = {"error": f"unknown command {cmd!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
