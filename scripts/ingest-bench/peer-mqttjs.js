// The MQTT.js peer of scripts/ingest-bench.py (bundled by esbuild, nothing from a CDN): MQTT.js
// 5 over WebSocket, MQTT 3.1.1, subscribed to the same filters as the app, and the least a
// dashboard must do with a message: its payload as text into its topic's text node.
import mqtt from 'mqtt'

const cfg = window.benchConfig.peer
const nodes = new Map()
const list = document.getElementById('topics')
for (const topic of cfg.topics) {
  const p = document.createElement('p')
  p.className = 't'
  p.id = 't' + topic.slice(-3)
  const node = document.createTextNode('—')
  p.append(node)
  list.append(p)
  nodes.set(topic, node)
}
const dec = new TextDecoder()
// Messages received, for the harness (the probe reads it).
window.benchCount = 0

const client = mqtt.connect(cfg.broker, {
  protocolVersion: 4,
  clean: true,
  keepalive: 30,
  clientId: 'ingest-bench-mqttjs-' + Math.floor(Math.random() * 1e9)
})
client.on('connect', () => client.subscribe(cfg.filters, { qos: 0 }))
client.on('message', (topic, payload) => {
  window.benchCount++
  const node = nodes.get(topic)
  if (node) node.data = dec.decode(payload)
})
