// The page of scripts/codec-page-bench.py, bundled by esbuild at run time (iife, with
// mqtt-packet 9.0.2 from node_modules and the codec's wasm-bindgen glue).
//
// For each recorded stream (MQTT 3.1.1, and 5.0 with properties) it decodes the whole stream,
// cut into 16 KiB chunks, with (a) mqtt-codec-wasm's JsStreamDecoder (the `js` feature) and
// (b) mqtt-packet's parser, alternately, `runs` times each after `warmup` unmeasured runs of
// each. Per packet both consumers do the same: count it and, for a PUBLISH, add its payload's
// and topic's lengths (so the objects are really read). Each run's time goes to the harness.
import mqtt from 'mqtt-packet'
import init, { JsStreamDecoder } from 'codec-page-bench-wasm'

const post = (path, body) =>
  fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const now = () => performance.now()

function ours (version, chunks) {
  const decoder = new JsStreamDecoder(version, 0xffffffff)
  let packets = 0; let publishes = 0; let payloadBytes = 0; let topicChars = 0
  const t0 = now()
  for (const chunk of chunks) {
    const out = decoder.push(chunk)
    for (let i = 0; i < out.length; i++) {
      const p = out[i]
      packets++
      if (p.type === 'publish') { publishes++; payloadBytes += p.payload.length; topicChars += p.topic.length }
    }
  }
  const ms = now() - t0
  decoder.free()
  return { ms, packets, publishes, payloadBytes, topicChars }
}

function theirs (version, chunks) {
  const parser = mqtt.parser({ protocolVersion: version })
  let packets = 0; let publishes = 0; let payloadBytes = 0; let topicChars = 0
  let error = null
  parser.on('packet', (p) => {
    packets++
    if (p.cmd === 'publish') { publishes++; payloadBytes += p.payload.length; topicChars += p.topic.length }
  })
  parser.on('error', (e) => { error = error || String(e) })
  const t0 = now()
  for (const chunk of chunks) parser.parse(chunk)
  const ms = now() - t0
  if (error) throw new Error('mqtt-packet: ' + error)
  return { ms, packets, publishes, payloadBytes, topicChars }
}

async function load (plan, stream) {
  const bytes = new Uint8Array(await (await fetch(stream.url)).arrayBuffer())
  // The same 16 KiB chunks for both, made before timing: Uint8Array views for ours (the
  // glue copies them into wasm memory), Buffer views of the same bytes for mqtt-packet
  // (its BufferList takes Buffers without copying).
  const views = []; const buffers = []
  for (let at = 0; at < bytes.length; at += plan.chunk) {
    const end = Math.min(at + plan.chunk, bytes.length)
    views.push(bytes.subarray(at, end))
    buffers.push(Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at))
  }
  return { bytes, views, buffers }
}

async function main () {
  const plan = await (await fetch('/bench/plan')).json()
  await init({ module_or_path: '/bench/codec.wasm' })
  if (plan.profile) {
    // The profiling run (scripts/codec-page-bench/profile.js drives it over DevTools).
    const loaded = {}
    for (const stream of plan.streams) loaded[stream.name] = { stream, ...(await load(plan, stream)) }
    window.benchRun = (who, name, n) => {
      const { stream, views, buffers } = loaded[name]
      let ms = 0
      for (let i = 0; i < n; i++) {
        ms += (who === 'ours' ? ours(stream.version, views) : theirs(stream.version, buffers)).ms
      }
      return ms
    }
    window.benchStreams = plan.streams.map((s) => s.name)
    return
  }
  for (const stream of plan.streams) {
    const { bytes, views, buffers } = await load(plan, stream)
    const runs = []
    for (let r = 0; r < plan.warmup + plan.runs; r++) {
      // Alternate which goes first, so neither always runs right after the other's garbage.
      const order = r % 2 ? ['mqtt-packet', 'ours'] : ['ours', 'mqtt-packet']
      for (const who of order) {
        const res = who === 'ours' ? ours(stream.version, views) : theirs(stream.version, buffers)
        runs.push({ who, run: r, warmup: r < plan.warmup, ...res })
        document.getElementById('state').textContent = `${stream.name} ${who} ${r}`
      }
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    await post('/bench/result', { stream: stream.name, bytes: bytes.length, chunks: views.length, runs })
  }
  await post('/bench/done', {})
}

main().catch((e) => post('/bench/error', { error: String((e && e.stack) || e) }))
