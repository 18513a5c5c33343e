// The ingest benchmark's probe (scripts/ingest-bench.py), loaded before anything else on the
// page it measures: the served copy of the app's index.html, or a peer page. It is never part
// of the shipped app, and it measures the same way on every page.
//
// - Counts the bytes and message events of every WebSocket (a listener added in the
//   constructor runs before the page's own handler), so the harness knows how many MQTT
//   PUBLISH packets (all of one size here) reached the page.
// - Runs its own animation-frame loop that stamps every frame (wall clock:
//   performance.timeOrigin + performance.now(), the clock the publisher stamps payloads with,
//   and rAF's own timestamp) and, when armed, checks the elements that must end up showing
//   given payloads: "caught up" (at the frame that shows the last of them).
// - For the latency benchmark, a MutationObserver notes each new payload text of the watched
//   elements; the next rAF callback takes the wall clock minus the payload's timestamp. A text
//   written during a frame's own animation callbacks (the app paints its widgets there) is
//   shown by that frame: its latency is taken at once.
// - Records long animation frames (≥ 50 ms) with their scripts, for where a slow frame went.
// - Reports memory: the JS heap (`performance.memory`, precise with
//   --enable-precise-memory-info, after `gc()` when --js-flags=--expose-gc), and the size of
//   the page's WebAssembly memory (captured from WebAssembly.instantiate*).
//
// No DevTools client is attached: the probe takes commands from the harness by long-polling
// GET /bench/cmd and answers by POST /bench/reply.
(() => {
  'use strict'
  const epoch = () => performance.timeOrigin + performance.now()
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  // What this page is and what to watch, written by the harness before the page loaded.
  // Synchronous, so the app's configuration is in localStorage before the app reads it.
  const request = new XMLHttpRequest()
  request.open('GET', '/bench/config', false)
  request.send()
  const cfg = JSON.parse(request.responseText)
  window.benchConfig = cfg
  if (cfg.appConfig) localStorage.setItem('tablero.config', JSON.stringify(cfg.appConfig))

  // --- The WebSocket: bytes and message events, and "a task began" for the frame phase. ---
  let wsBytes = 0
  let wsMessages = 0
  let inFrame = false
  const NativeWebSocket = window.WebSocket
  class CountedWebSocket extends NativeWebSocket {
    constructor (...args) {
      super(...args)
      this.addEventListener('message', (e) => {
        inFrame = false
        const d = e.data
        wsBytes += d instanceof ArrayBuffer ? d.byteLength : (d.size || d.length || 0)
        wsMessages += 1
      })
    }
  }
  window.WebSocket = CountedWebSocket

  // --- The frame phase: every animation callback (the page's too) marks "in a frame" until a
  // task posted from it runs (after the frame's style, layout and paint) or a message task
  // starts. A task posted by MessageChannel is not clamped as nested timeouts are.
  const channel = new MessageChannel()
  const queued = []
  channel.port1.onmessage = () => { const f = queued.shift(); if (f) f() }
  const afterTask = (f) => { queued.push(f); channel.port2.postMessage(0) }
  let clearAsked = false
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window)
  window.requestAnimationFrame = (callback) => nativeRequestAnimationFrame((ts) => {
    inFrame = true
    if (!clearAsked) { clearAsked = true; afterTask(() => { inFrame = false; clearAsked = false }) }
    callback(ts)
  })

  // --- WebAssembly memory (the app's linear memory; peers have none). ---
  let wasmMemory = null
  const grab = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result && result.instance
    if (!wasmMemory && instance) {
      for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) { wasmMemory = v; break }
    }
    return result
  }
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const native = WebAssembly[name]
    if (native) WebAssembly[name] = (...args) => native.apply(WebAssembly, args).then(grab)
  }

  // --- Watched elements, re-found if the page replaced them. ---
  const watchSel = cfg.watch || []
  const watched = watchSel.map(() => null)
  const el = (i) => {
    let e = watched[i]
    if (!e || !e.isConnected) { e = document.querySelector(watchSel[i]); watched[i] = e }
    return e
  }
  // Found again at every look: it is a place (the log's first line), and a log may move its
  // rows rather than rewrite them.
  const top = () => (cfg.top ? document.querySelector(cfg.top) : null)
  let countEl = null
  // How many messages the page says it received: the app's log counts every message of its
  // filter ("The last 100 of N messages"); a peer keeps `window.benchCount`.
  const readCount = () => {
    if (cfg.countSel) {
      if (!countEl || !countEl.isConnected) countEl = document.querySelector(cfg.countSel)
      const m = countEl && countEl.textContent.match(/(\d+)\D*$/)
      return m ? Number(m[1]) : 0
    }
    return typeof window.benchCount === 'number' ? window.benchCount : null
  }
  const textOf = (e) => (e ? e.textContent : '')

  // --- The frame loop. ---
  const frames = { at: [], ts: [], bytes: [], messages: [] }
  let armed = null
  let latency = null
  // Off for the memory benchmark: the frame records would be most of a 2 MB heap's growth.
  let recording = true

  function onFrame (ts) {
    const at = epoch()
    if (recording) { frames.at.push(at); frames.ts.push(ts); frames.bytes.push(wsBytes); frames.messages.push(wsMessages) }
    if (armed) {
      check(armed, at)
      // A page may write its DOM in its own rAF callback after this one (the app tells its
      // widgets once a frame): this frame shows that too. A task posted from here runs after
      // the frame's rendering; if no message task ran in between, what it sees changed since
      // is this frame's doing. (Otherwise the next frame's check counts it.)
      const a = armed
      const seen = wsMessages
      if (armed) afterTask(() => { if (armed === a && wsMessages === seen) check(a, at) })
    }
    if (latency && latency.pending.size) {
      for (const t of latency.pending.values()) latency.values.push(at - t)
      latency.pending.clear()
    }
    requestAnimationFrame(onFrame)
  }

  // Armed: which texts must be shown (a prefix per watched element, of the top line) and which
  // count reached; the frame where the last of them is shown is "caught up".
  function check (a, at) {
    for (const [i, prefix] of a.left) {
      if (textOf(el(i)).startsWith(prefix)) { a.left.delete(i); a.lastWatched = at }
    }
    if (a.top !== null && !a.topAt && textOf(top()).startsWith(a.top)) a.topAt = at
    if (a.count !== null && !a.countAt) {
      const c = readCount()
      if (c !== null && c >= a.count) a.countAt = at
      a.countSeen = c
    }
    if (a.left.size === 0 && (a.top === null || a.topAt) && (a.count === null || a.countAt)) {
      armed = null
      post('/bench/caught', { id: a.id, at, lastWatched: a.lastWatched, topAt: a.topAt, countAt: a.countAt, count: a.countSeen })
    }
  }

  // --- Latency: the payload texts of the watched elements as they change. ---
  const owner = new Map()
  const observer = new MutationObserver((records) => {
    if (!latency) return
    const changed = new Set()
    for (const r of records) {
      let n = r.target
      while (n && !owner.has(n)) n = n.parentNode
      if (n) changed.add(owner.get(n))
    }
    const now = epoch()
    for (const i of changed) {
      const m = textOf(el(i)).match(/"t":(\d+)/)
      if (!m) continue
      const t = Number(m[1]) / 1000
      if (latency.lastT[i] === t) continue
      latency.lastT[i] = t
      if (inFrame) latency.values.push(now - t)
      else {
        if (latency.pending.has(i)) latency.superseded += 1
        latency.pending.set(i, t)
      }
    }
  })
  function observeWatched () {
    observer.disconnect()
    owner.clear()
    watchSel.forEach((_, i) => {
      const e = el(i)
      if (e) { owner.set(e, i); observer.observe(e, { subtree: true, childList: true, characterData: true }) }
    })
  }

  // --- Long animation frames (≥ 50 ms; Chromium's LoAF API): where a slow frame went. ---
  const slow = []
  try {
    new PerformanceObserver((list) => {
      if (!recording) return
      for (const e of list.getEntries()) {
        slow.push({
          at: performance.timeOrigin + e.startTime,
          duration: e.duration,
          // From the start of the frame's rendering (rAF callbacks, style, layout, paint) and
          // of its style and layout, to its end.
          render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          styleLayout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: (e.scripts || []).map((x) => [
            `${x.invokerType} ${String(x.invoker).slice(0, 60)}`, x.duration, x.forcedStyleAndLayoutDuration || 0
          ])
        })
      }
    }).observe({ type: 'long-animation-frame', buffered: false })
  } catch (_) { /* not supported: none reported */ }

  function slowSummary (from, to) {
    const within = slow.filter((e) => e.at >= from && e.at <= to)
    const byScript = new Map()
    let script = 0
    for (const e of within) {
      for (const [key, d] of e.scripts) { byScript.set(key, (byScript.get(key) || 0) + d); script += d }
    }
    return {
      count: within.length,
      totalMs: within.reduce((a, e) => a + e.duration, 0),
      renderMs: within.reduce((a, e) => a + e.render, 0),
      styleLayoutMs: within.reduce((a, e) => a + e.styleLayout, 0),
      scriptMs: script,
      topScripts: [...byScript.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)
    }
  }

  // --- Window summaries: frame intervals, bytes and messages between two wall-clock times. ---
  function valueAt (series, t) {
    // The cumulative counter at time t: the last frame at or before it.
    let lo = 0; let hi = frames.at.length - 1; let best = 0
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (frames.at[mid] <= t) { best = mid; lo = mid + 1 } else hi = mid - 1 }
    return series[best]
  }
  function summary (from, to) {
    const intervals = []; const tsIntervals = []
    for (let i = 1; i < frames.at.length; i++) {
      if (frames.at[i - 1] >= from && frames.at[i] <= to) {
        intervals.push(frames.at[i] - frames.at[i - 1])
        tsIntervals.push(frames.ts[i] - frames.ts[i - 1])
      }
    }
    const out = {
      intervals, tsIntervals,
      bytes: valueAt(frames.bytes, to) - valueAt(frames.bytes, from),
      messages: valueAt(frames.messages, to) - valueAt(frames.messages, from),
      totalBytes: wsBytes, totalMessages: wsMessages, count: readCount(),
      longFrames: slowSummary(from, to)
    }
    while (slow.length && slow[0].at < from - 5000) slow.shift()
    // Older frames are no longer asked for.
    let keep = 0
    while (keep < frames.at.length && frames.at[keep] < from - 5000) keep++
    for (const k of Object.keys(frames)) frames[k].splice(0, keep)
    return out
  }

  function memory (collect) {
    if (collect && typeof window.gc === 'function') window.gc()
    const m = performance.memory || {}
    return {
      usedJSHeapSize: m.usedJSHeapSize ?? null,
      totalJSHeapSize: m.totalJSHeapSize ?? null,
      wasmBytes: wasmMemory ? wasmMemory.buffer.byteLength : null,
      gc: typeof window.gc === 'function'
    }
  }

  function handle (c) {
    switch (c.cmd) {
      case 'arm':
        armed = {
          id: c.id,
          left: new Map(c.watch || []),
          top: c.top ?? null,
          count: c.countDelta == null ? null : (readCount() ?? 0) + c.countDelta,
          countSeen: null,
          topAt: null, countAt: null, lastWatched: null
        }
        return { armedAt: epoch(), countAtArm: readCount(), bytes: wsBytes, messages: wsMessages }
      case 'disarm': { const a = armed; armed = null; return { left: a ? [...a.left.keys()] : [], topAt: a && a.topAt, countSeen: a && a.countSeen } }
      case 'summary': return summary(c.from, c.to)
      case 'latency':
        if (c.on) {
          observeWatched()
          latency = { values: [], pending: new Map(), lastT: {}, superseded: 0 }
          return {}
        } else {
          const l = latency; latency = null
          return { values: l ? l.values : [], superseded: l ? l.superseded : 0 }
        }
      case 'memory': return memory(c.gc)
      case 'record':
        recording = c.on
        if (!recording) { for (const k of Object.keys(frames)) frames[k].length = 0; slow.length = 0 }
        return {}
      case 'status':
        return {
          texts: watchSel.map((_, i) => textOf(el(i)).slice(0, 80)),
          top: cfg.top ? textOf(top()).slice(0, 80) : null,
          count: readCount(), bytes: wsBytes, messages: wsMessages, memory: memory(false)
        }
      default: throw new Error('unknown command ' + c.cmd)
    }
  }

  async function commands () {
    for (;;) {
      const c = await (await fetch('/bench/cmd?token=' + cfg.token, { cache: 'no-store' })).json()
      if (c.cmd === 'none') continue
      let reply
      try { reply = Object.assign({ id: c.id }, handle(c)) } catch (e) { reply = { id: c.id, error: String(e && e.stack || e) } }
      await post('/bench/reply', reply)
    }
  }

  // Ready when every watched element exists (the app has drawn its cards). The log's lines
  // come with the first message: the harness's first rounds of messages check the rest.
  function waitReady () {
    const missing = watchSel.filter((_, i) => !el(i))
    if (missing.length) {
      setTimeout(waitReady, 100)
      return
    }
    post('/bench/ready', { page: cfg.page, token: cfg.token })
  }

  function start () {
    requestAnimationFrame(onFrame)
    commands().catch((e) => post('/bench/error', { error: String(e && e.stack || e) }))
    waitReady()
  }
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start); else start()
})()
