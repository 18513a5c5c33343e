// The benchmarks' minimal MQTT 3.1.1 client over WebSocket (QoS 0, no keepalive), for peer
// pages that must cost as little as possible beside what they measure: CONNECT, one
// SUBSCRIBE, then `onPublish(firstByte, body)` for every PUBLISH, with no copy of the body.
// Bundled by esbuild into the peers of scripts/ingest-bench.py and scripts/chart-bench.py.
const enc = new TextEncoder()
const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b] }
const length = (n) => { const out = []; do { let d = n % 128; n = Math.floor(n / 128); if (n) d |= 128; out.push(d) } while (n); return out }
const packet = (first, body) => new Uint8Array([first, ...length(body.length), ...body])

export function subscribe (broker, filters, clientId, onPublish) {
  const ws = new WebSocket(broker, 'mqtt')
  ws.binaryType = 'arraybuffer'
  ws.onopen = () => {
    ws.send(packet(0x10, [...str('MQTT'), 4, 0x02, 0, 0, ...str(clientId)]))
    ws.send(packet(0x82, [0, 1, ...filters.flatMap((f) => [...str(f), 0])]))
  }
  // Bytes not yet parsed; a packet may span messages and a message may hold several packets.
  let buf = new Uint8Array(0)
  ws.onmessage = (e) => {
    const chunk = new Uint8Array(e.data)
    if (buf.length === 0) buf = chunk
    else { const b = new Uint8Array(buf.length + chunk.length); b.set(buf); b.set(chunk, buf.length); buf = b }
    for (;;) {
      let n = 0; let mul = 1; let i = 1
      for (;; i++) {
        if (i >= buf.length) return
        n += (buf[i] & 127) * mul; mul *= 128
        if (!(buf[i] & 128)) break
      }
      const end = i + 1 + n
      if (end > buf.length) return
      if (buf[0] >> 4 === 3) onPublish(buf[0], buf.subarray(i + 1, end))
      buf = buf.subarray(end)
    }
  }
  return ws
}

// Where a PUBLISH body's payload starts: after the topic, and the packet id at QoS 1 and 2.
export const payloadStart = (first, body) => 2 + ((body[0] << 8) | body[1]) + ((first >> 1) & 3 ? 2 : 0)
