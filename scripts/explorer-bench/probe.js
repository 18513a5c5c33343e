// The explorer benchmark's probe (scripts/explorer-bench.py), loaded before anything else on the
// page it measures: the served copy of the app's index.html, or the peer page
// (scripts/explorer-bench/peer.html). Never part of the shipped app; it drives and measures both
// pages the same way, through the same DOM: a filter input, a Subscribe button and a
// `.topic-tree` virtual list whose `data-topics` says how many topics the paint drew.
//
// - `prepare`: opens the page's explorer (the app's "Explore" tab), waits for the tree, the
//   filter input and `#status[data-state=connected]`, and types the filter (an `input` event).
// - `subscribe`: clicks Subscribe (the SUBSCRIBE goes out in that task or its microtasks) and
//   reports, by POST /bench/caught, the frame after which the tree's `data-topics` reached N:
//   a MutationObserver sees the attribute written (in the page's animation-frame callback), and
//   a task posted from that frame runs after its style, layout and paint ("drawn").
// - `arm`: reports the frame after which the page's WebSocket has received the bytes given and
//   the rows in sight show the counts and payloads given ("caught up").
// - `summary`: frame intervals (rAF to rAF: Chromium's timestamps and performance.now()), the
//   WebSocket's bytes and messages, and long animation frames (≥ 50 ms, with their scripts)
//   between two wall-clock times.
//
// No DevTools client is attached: commands come by long-polling GET /bench/cmd, answers go by
// POST /bench/reply (the protocol of scripts/ingest-bench.py's server).
(() => {
  'use strict'
  const epoch = () => performance.timeOrigin + performance.now()
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  // The page's configuration, written by the harness before the page loaded; synchronous, so
  // the app's configuration is in localStorage before the app reads it.
  const request = new XMLHttpRequest()
  request.open('GET', '/bench/config', false)
  request.send()
  const cfg = JSON.parse(request.responseText)
  window.benchConfig = cfg
  if (cfg.appConfig) localStorage.setItem('tablero.config', JSON.stringify(cfg.appConfig))

  // --- The WebSocket: bytes and message events (a listener added in the constructor runs
  // before the page's own handler), and when the last one came. ---
  let wsBytes = 0
  let wsMessages = 0
  let wsLastAt = 0
  // The first message after Subscribe's click (the SUBACK, or a retained message before it).
  let wsFirstAt = null
  let wantFirst = false
  // The first packet the page sends after the click: its SUBSCRIBE.
  let wsSentAt = null
  let wantSent = false
  const NativeWebSocket = window.WebSocket
  class CountedWebSocket extends NativeWebSocket {
    constructor (...args) {
      super(...args)
      this.addEventListener('message', (e) => {
        const d = e.data
        wsBytes += d instanceof ArrayBuffer ? d.byteLength : (d.size || d.length || 0)
        wsMessages += 1
        wsLastAt = epoch()
        if (wantFirst) { wantFirst = false; wsFirstAt = wsLastAt }
      })
    }

    send (data) {
      if (wantSent) { wantSent = false; wsSentAt = epoch() }
      return super.send(data)
    }
  }
  window.WebSocket = CountedWebSocket

  // --- In a frame: from an animation callback (the page's too) until a task posted from it
  // runs, after the frame's style, layout and paint. MessageChannel: not clamped as timeouts.
  const channel = new MessageChannel()
  const queued = []
  channel.port1.onmessage = () => { const f = queued.shift(); if (f) f() }
  const afterTask = (f) => { queued.push(f); channel.port2.postMessage(0) }
  let inFrame = false
  let clearAsked = false
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window)
  window.requestAnimationFrame = (callback) => nativeRequestAnimationFrame((ts) => {
    inFrame = true
    if (!clearAsked) { clearAsked = true; afterTask(() => { inFrame = false; clearAsked = false }) }
    callback(ts)
  })
  // `f` once the frame that shows what was just written has been rendered.
  const whenDrawn = (f) => { if (inFrame) afterTask(f); else nativeRequestAnimationFrame(() => afterTask(f)) }

  // --- The frame loop: every frame's wall-clock time, rAF timestamp, and the WebSocket's
  // counters then. ---
  const frames = { at: [], ts: [], bytes: [], messages: [] }
  let armed = null

  function onFrame (ts) {
    const at = epoch()
    frames.at.push(at); frames.ts.push(ts); frames.bytes.push(wsBytes); frames.messages.push(wsMessages)
    if (armed) {
      // No task runs between a frame's animation callbacks: the bytes now are the bytes the
      // page's own callback (before or after this one) painted from.
      const a = armed
      const bytes = wsBytes
      afterTask(() => { if (armed === a) check(a, bytes) })
    }
    requestAnimationFrame(onFrame)
  }

  const tree = () => document.querySelector(cfg.tree)
  function rowsInSight () {
    const t = tree()
    const out = {}
    if (!t) return out
    for (const row of t.querySelectorAll('.vlist-row')) {
      if (row.hidden) continue
      const cell = (c) => { const e = row.querySelector('.' + c); return e ? e.textContent : '' }
      out[row.getAttribute('data-index')] = { name: cell('tn'), value: cell('tv'), count: cell('tc'), retained: cell('tf') }
    }
    return out
  }

  function check (a, bytes) {
    if (bytes < a.bytes) return
    const rows = rowsInSight()
    for (const [i, [count, value]] of Object.entries(a.rows)) {
      const r = rows[i]
      if (!r || r.count !== count || !r.value.startsWith(value)) { a.mismatch = { index: i, want: [count, value], got: r || null }; return }
    }
    armed = null
    post('/bench/caught', { id: a.id, at: epoch(), bytes: wsBytes, messages: wsMessages })
  }

  // --- Long animation frames (≥ 50 ms; Chromium's LoAF API): where a slow frame went. ---
  const slow = []
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        slow.push({
          at: performance.timeOrigin + e.startTime,
          duration: e.duration,
          render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          styleLayout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: (e.scripts || []).map((x) => [`${x.invokerType} ${String(x.invoker).slice(0, 60)}`, x.duration])
        })
      }
    }).observe({ type: 'long-animation-frame', buffered: false })
  } catch (_) { /* not supported: none reported */ }

  function valueAt (series, t) {
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
    const within = slow.filter((e) => e.at >= from && e.at <= to)
    const byScript = new Map()
    for (const e of within) for (const [k, d] of e.scripts) byScript.set(k, (byScript.get(k) || 0) + d)
    return {
      intervals, tsIntervals,
      bytes: valueAt(frames.bytes, to) - valueAt(frames.bytes, from),
      messages: valueAt(frames.messages, to) - valueAt(frames.messages, from),
      totalBytes: wsBytes, totalMessages: wsMessages,
      longFrames: {
        count: within.length,
        totalMs: within.reduce((s, e) => s + e.duration, 0),
        maxMs: within.reduce((m, e) => Math.max(m, e.duration), 0),
        renderMs: within.reduce((s, e) => s + e.render, 0),
        styleLayoutMs: within.reduce((s, e) => s + e.styleLayout, 0),
        topScripts: [...byScript.entries()].sort((x, y) => y[1] - x[1]).slice(0, 6)
      }
    }
  }

  // --- Driving the page ---
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  async function waitFor (what, test, ms = 30000) {
    const end = performance.now() + ms
    for (;;) {
      const v = test()
      if (v) return v
      if (performance.now() > end) throw new Error('timed out waiting for ' + what)
      await sleep(20)
    }
  }

  async function prepare (filter) {
    if (cfg.explore) (await waitFor(cfg.explore, () => document.querySelector(cfg.explore))).click()
    const input = await waitFor(cfg.filterInput, () => document.querySelector(cfg.filterInput))
    await waitFor(cfg.subscribeButton, () => document.querySelector(cfg.subscribeButton))
    await waitFor(cfg.tree, tree)
    await waitFor(cfg.connected, () => document.querySelector(cfg.connected))
    const prefilled = input.value
    input.value = filter
    input.dispatchEvent(new Event('input', { bubbles: true }))
    await sleep(100)
    return {
      prefilled, value: input.value, topics: tree().getAttribute('data-topics'),
      treeHeight: tree().clientHeight, innerHeight: window.innerHeight, innerWidth: window.innerWidth
    }
  }

  // (a): from the click to the frame that drew the tree with `need` topics.
  function subscribe (id, need) {
    const t = tree()
    const a = { id, need, paints: 0, firstAt: null, firstTopics: null, done: false }
    const observer = new MutationObserver(() => {
      if (a.done) return
      const n = Number(t.getAttribute('data-topics') || 0)
      a.paints += 1
      if (n > 0 && a.firstAt === null) {
        a.firstTopics = n
        const wrote = epoch()
        whenDrawn(() => { a.firstAt = epoch(); a.firstWrote = wrote })
      }
      if (n >= need) {
        a.done = true
        observer.disconnect()
        const wrote = epoch()
        const frameTs = performance.now()
        const seen = { bytes: wsBytes, messages: wsMessages, lastAt: wsLastAt }
        whenDrawn(() => {
          const drawn = epoch()
          post('/bench/caught', {
            id, clickAt: a.clickAt, wroteAt: wrote, drawnAt: drawn, firstDrawnAt: a.firstAt,
            firstTopics: a.firstTopics, topics: n, paints: a.paints, inFrameTs: frameTs,
            clickReturnedAt: a.clickReturned, wsSentAt, wsFirstAt, wsLastAt: seen.lastAt, wsBytes: seen.bytes - a.bytes0, wsMessages: seen.messages - a.messages0
          })
        })
      }
    })
    observer.observe(t, { attributes: true, attributeFilter: ['data-topics'] })
    const button = document.querySelector(cfg.subscribeButton)
    a.bytes0 = wsBytes
    a.messages0 = wsMessages
    wsFirstAt = null
    wantFirst = true
    wsSentAt = null
    wantSent = true
    a.clickAt = epoch()
    button.click()
    a.clickReturned = epoch()
    return { clickAt: a.clickAt }
  }

  async function handle (c) {
    switch (c.cmd) {
      case 'prepare': return prepare(c.filter)
      case 'subscribe': return subscribe(c.id, c.need)
      case 'arm':
        armed = { id: c.id, bytes: c.bytes, rows: c.rows || {}, mismatch: null }
        return { armedAt: epoch() }
      case 'disarm': { const a = armed; armed = null; return { mismatch: a && a.mismatch } }
      case 'summary': return summary(c.from, c.to)
      case 'status':
        return {
          topics: tree() && tree().getAttribute('data-topics'), rows: rowsInSight(),
          bytes: wsBytes, messages: wsMessages, at: epoch()
        }
      default: throw new Error('unknown command ' + c.cmd)
    }
  }

  async function commands () {
    for (;;) {
      const c = await (await fetch('/bench/cmd?token=' + cfg.token, { cache: 'no-store' })).json()
      if (c.cmd === 'none') continue
      let reply
      try { reply = Object.assign({ id: c.id }, await handle(c)) } catch (e) { reply = { id: c.id, error: String(e && e.stack || e) } }
      await post('/bench/reply', reply)
    }
  }

  function start () {
    requestAnimationFrame(onFrame)
    commands().catch((e) => post('/bench/error', { error: String(e && e.stack || e) }))
    post('/bench/ready', { page: cfg.page, token: cfg.token })
  }
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start); else start()
})()
