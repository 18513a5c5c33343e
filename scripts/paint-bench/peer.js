// A minimal MQTT 3.1.1 client over WebSocket (QoS 0, no keepalive) for the paint benchmark's
// peer page: CONNECT, SUBSCRIBE, then each PUBLISH's first 280 characters into a text node.
'use strict'
;(() => {
  const SHOWN_CHARS = 280
  const broker = new URLSearchParams(location.search).get('broker')
  const filters = ['tablero/demo/#', 'bench/#']
  const enc = new TextEncoder()
  const dec = new TextDecoder()
  const node = document.getElementById('out').firstChild

  const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b] }
  const length = (n) => { const out = []; do { let d = n % 128; n = Math.floor(n / 128); if (n) d |= 128; out.push(d) } while (n); return out }
  const packet = (first, body) => new Uint8Array([first, ...length(body.length), ...body])

  const ws = new WebSocket(broker, 'mqtt')
  ws.binaryType = 'arraybuffer'
  ws.onopen = () => {
    const id = 'peer-' + Math.floor(Math.random() * 1e9)
    ws.send(packet(0x10, [...str('MQTT'), 4, 0x02, 0, 0, ...str(id)]))
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
      if (buf[0] >> 4 === 3) publish(buf[0], buf.subarray(i + 1, end))
      buf = buf.subarray(end)
    }
  }

  function publish (first, body) {
    const topicEnd = 2 + ((body[0] << 8) | body[1])
    const payload = body.subarray(topicEnd + ((first >> 1) & 3 ? 2 : 0))
    // At most 4 bytes per character: decode only what can be shown.
    const chars = Array.from(dec.decode(payload.subarray(0, SHOWN_CHARS * 4)))
    const cut = chars.length > SHOWN_CHARS || payload.length > SHOWN_CHARS * 4
    node.data = chars.slice(0, SHOWN_CHARS).join('') + (cut ? '…' : '')
  }
})()
