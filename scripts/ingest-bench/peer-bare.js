// The bare WebSocket peer of scripts/ingest-bench.py: the ceiling of what a page can receive.
// The benchmarks' hand-written MQTT 3.1.1 client (scripts/bench-mqtt.js) that only counts
// PUBLISH packets and shows the count once a frame.
import { subscribe } from '../bench-mqtt.js'

const cfg = window.benchConfig.peer
const node = document.getElementById('count').firstChild
window.benchCount = 0
subscribe(cfg.broker, cfg.filters, 'ingest-bench-bare-' + Math.floor(Math.random() * 1e9), () => { window.benchCount++ })

const frame = () => { node.data = String(window.benchCount); requestAnimationFrame(frame) }
requestAnimationFrame(frame)
