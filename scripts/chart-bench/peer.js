// The uPlot peer of scripts/chart-bench.py, bundled by esbuild at run time with uPlot 1.6.32
// from node_modules. uPlot's "stream" demo scene (6 series × 600 points; each animation frame
// every series gets one new point, the latest value received, and the oldest goes; setData
// once per frame), fed by the benchmarks' minimal MQTT 3.1.1 client (scripts/bench-mqtt.js)
// subscribed to the same topics as the app.
import uPlot from 'uplot'
import { payloadStart, subscribe } from '../bench-mqtt.js'

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

// --- MQTT 3.1.1 over WebSocket (scripts/bench-mqtt.js) ---------------------------------------
const dec = new TextDecoder()
subscribe(broker, [prefix + '#'], 'chart-peer-' + Math.floor(Math.random() * 1e9), (first, body) => {
  const topic = dec.decode(body.subarray(2, 2 + ((body[0] << 8) | body[1])))
  const s = Number(topic.slice(prefix.length))
  const v = Number(dec.decode(body.subarray(payloadStart(first, body))))
  if (s >= 0 && s < SERIES && Number.isFinite(v)) { latest[s] = v; fresh = true }
})
