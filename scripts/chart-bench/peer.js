// The uPlot peer of scripts/chart-bench.py, bundled by esbuild at run time with uPlot 1.6.32
// from node_modules. uPlot's "stream" demo scene (6 series × 600 points; each animation frame
// every series gets one new point, the latest value received, and the oldest goes; setData
// once per frame), fed by a minimal MQTT 3.1.1 client over WebSocket (QoS 0, no keepalive;
// the client of scripts/paint-bench/peer.js) subscribed to the same topics as the app.
import uPlot from 'uplot'

const params = new URLSearchParams(location.search)
const broker = params.get('broker')
const width = Number(params.get('width'))
const height = Number(params.get('height'))
const SERIES = Number(params.get('series'))
const POINTS = Number(params.get('points'))
const prefix = params.get('prefix')
const colors = params.get('colors').split(',')

// Filled before the stream starts, as the demo's: POINTS points of the last POINTS frames.
const t0 = Date.now() / 1000
const data = [Array.from({ length: POINTS }, (_, i) => t0 - (POINTS - i) / 60)]
for (let s = 0; s < SERIES; s++) data.push(new Array(POINTS).fill(null))
const latest = new Array(SERIES).fill(null)
let fresh = false

const chart = new uPlot({
  width,
  height,
  series: [{}, ...colors.slice(0, SERIES).map((c, i) => ({ label: `s${i}`, stroke: c, width: 2 }))],
  axes: [{}, {}]
}, data, document.getElementById('chart'))

function frame () {
  requestAnimationFrame(frame)
  if (!fresh) return
  fresh = false
  data[0].push(Date.now() / 1000)
  data[0].shift()
  for (let s = 0; s < SERIES; s++) { data[s + 1].push(latest[s]); data[s + 1].shift() }
  chart.setData(data)
}
requestAnimationFrame(frame)
window.peerPoints = () => data.slice(1).reduce((n, d) => n + d.filter((v) => v !== null).length, 0)

// --- MQTT 3.1.1 over WebSocket -------------------------------------------------------------
const enc = new TextEncoder()
const dec = new TextDecoder()
const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b] }
const length = (n) => { const out = []; do { let d = n % 128; n = Math.floor(n / 128); if (n) d |= 128; out.push(d) } while (n); return out }
const packet = (first, body) => new Uint8Array([first, ...length(body.length), ...body])

const ws = new WebSocket(broker, 'mqtt')
ws.binaryType = 'arraybuffer'
ws.onopen = () => {
  const id = 'chart-peer-' + Math.floor(Math.random() * 1e9)
  ws.send(packet(0x10, [...str('MQTT'), 4, 0x02, 0, 0, ...str(id)]))
  ws.send(packet(0x82, [0, 1, ...str(prefix + '#'), 0]))
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
  const topic = dec.decode(body.subarray(2, topicEnd))
  const s = Number(topic.slice(prefix.length))
  const v = Number(dec.decode(body.subarray(topicEnd + ((first >> 1) & 3 ? 2 : 0))))
  if (s >= 0 && s < SERIES && Number.isFinite(v)) { latest[s] = v; fresh = true }
}
