// The profiling run of scripts/codec-page-bench.py (never the measured run): attaches to the
// page over the DevTools protocol (Chromium started with --remote-debugging-port=0), waits for
// the page's `benchRun`, then for each stream and decoder runs it under Chrome's sampling
// profiler and prints the functions with the most self time.
//
//   node scripts/codec-page-bench/profile.js PORT OUTDIR
'use strict'
const http = require('http')
const fs = require('fs')
const path = require('path')
const WebSocket = require('ws')

const [port, outDir] = process.argv.slice(2)
const REPS = 20
const TOP = 14

function getJson (url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = ''
      res.on('data', (d) => { body += d })
      res.on('end', () => { try { resolve(JSON.parse(body)) } catch (e) { reject(e) } })
    }).on('error', reject)
  })
}

async function main () {
  let target
  for (let i = 0; i < 100 && !target; i++) {
    target = (await getJson(`http://127.0.0.1:${port}/json/list`)).find((t) => t.type === 'page')
    if (!target) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false })
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject) })
  let id = 0
  const pending = new Map()
  ws.on('message', (m) => {
    const msg = JSON.parse(m)
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id)
      pending.delete(msg.id)
      if (msg.error) reject(new Error(JSON.stringify(msg.error))); else resolve(msg.result)
    }
  })
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    id += 1
    pending.set(id, { resolve, reject })
    ws.send(JSON.stringify({ id, method, params }))
  })
  const evaluate = async (expression) => {
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })
    if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails))
    return r.result.value
  }
  for (let i = 0; !(await evaluate('typeof benchRun === "function"')); i++) {
    if (i > 300) throw new Error('the page never exposed benchRun')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const streams = await evaluate('benchStreams')
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: 50 })
  fs.mkdirSync(outDir, { recursive: true })
  for (const stream of streams) {
    for (const who of ['ours', 'mqtt-packet']) {
      await evaluate(`benchRun(${JSON.stringify(who)}, ${JSON.stringify(stream)}, 3)`) // warm
      await send('Profiler.start')
      const ms = await evaluate(`benchRun(${JSON.stringify(who)}, ${JSON.stringify(stream)}, ${REPS})`)
      const { profile } = await send('Profiler.stop')
      fs.writeFileSync(path.join(outDir, `${who}-${stream.replace(/\W+/g, '')}.cpuprofile`), JSON.stringify(profile))
      report(`${stream}, ${who} (${REPS} runs, ${(ms / REPS).toFixed(1)} ms each with the profiler on)`, profile)
    }
  }
  ws.close()
}

function report (title, profile) {
  const self = new Map()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const dt = profile.timeDeltas
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i])
    const f = n.callFrame
    const name = f.functionName || '(anonymous)'
    if (name === '(idle)' || name === '(program)') continue
    const where = f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''
    const key = `${name} ${where}`.trim()
    const t = (dt[i] || 0) / 1000
    self.set(key, (self.get(key) || 0) + t)
    total += t
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP)
  console.log(`${title}: self time, ${total.toFixed(0)} ms sampled`)
  for (const [key, t] of top) console.log(`  ${(100 * t / total).toFixed(1).padStart(5)} %  ${key.slice(0, 110)}`)
}

main().catch((e) => { console.error(e); process.exit(1) })
