// The bare WebSocket peer of scripts/ingest-bench.py: the ceiling of what a page can receive.
// A hand-written MQTT 3.1.1 client (CONNECT, SUBSCRIBE, QoS 0, no keepalive; as
// scripts/paint-bench/peer.js) that only counts PUBLISH packets and shows the count once a
// frame.
'use strict'
;(() => {
  const cfg = window.benchConfig.peer
  const enc = new TextEncoder()
  const node = document.getElementById('count').firstChild
  window.benchCount = 0

  const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b] }
  const length = (n) => { const out = []; do { let d = n % 128; n = Math.floor(n / 128); if (n) d |= 128; out.push(d) } while (n); return out }
  const packet = (first, body) => new Uint8Array([first, ...length(body.length), ...body])

  const ws = new WebSocket(cfg.broker, 'mqtt')
  ws.binaryType = 'arraybuffer'
  ws.onopen = () => {
    const id = 'ingest-bench-bare-' + Math.floor(Math.random() * 1e9)
    ws.send(packet(0x10, [...str('MQTT'), 4, 0x02, 0, 0, ...str(id)]))
    ws.send(packet(0x82, [0, 1, ...cfg.filters.flatMap((f) => [...str(f), 0])]))
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
      if (buf[0] >> 4 === 3) window.benchCount++
      buf = buf.subarray(end)
    }
  }

  const frame = () => { node.data = String(window.benchCount); requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
})()
