// The paint benchmark's probe (scripts/paint-bench.py), loaded before anything else on the
// page it measures: the served copy of the app's index.html, or the bare peer page. It is
// never part of the shipped app.
//
// It stamps performance.now() at every WebSocket message event (a listener added in the
// constructor runs before the page's own `onmessage`), watches the DOM (or, for a canvas,
// the 2D context's `stroke`) for the moment the expected text is rendered, then stamps the
// next animation frame and a task posted from it (after that frame's style, layout and
// paint). Long tasks and long animation frames are recorded by a PerformanceObserver.
// Results go to the harness that serves the page, by POST (no DevTools client attached).
(() => {
  'use strict'
  const now = () => performance.now()
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const page = location.pathname.startsWith('/peer') ? 'peer' : 'app'

  // The step being measured: what to wait for, and what was seen.
  let step = null

  const NativeWebSocket = window.WebSocket
  class StampedWebSocket extends NativeWebSocket {
    constructor (...args) {
      super(...args)
      this.addEventListener('message', (e) => {
        const t = now()
        if (!step || step.arrival !== null) return
        const d = e.data
        step.bytesSeen += d instanceof ArrayBuffer ? d.byteLength : (d.size || d.length || 0)
        step.messages += 1
        if (step.bytesSeen >= step.bytes) {
          // The message that completes the payload: the arrival.
          step.arrival = t
          step.eventTimeStamp = e.timeStamp
          const s = step
          afterTask(() => { s.taskEnd = now() })
          requestAnimationFrame((ts) => { s.firstFrameTs = ts })
        }
      })
    }
  }
  window.WebSocket = StampedWebSocket

  // The frame time of the animation frame being run, whoever asked for it (all callbacks of
  // one frame get the same time): tells which frame after the arrival showed the value.
  let frameTs = null
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window)
  window.requestAnimationFrame = (callback) =>
    nativeRequestAnimationFrame((ts) => { frameTs = ts; callback(ts) })

  // A task after the current one (and its microtasks); no 4 ms clamp, unlike nested timeouts.
  const channel = new MessageChannel()
  const queued = []
  channel.port1.onmessage = () => { const f = queued.shift(); if (f) f() }
  function afterTask (f) { queued.push(f); channel.port2.postMessage(0) }

  const slow = []
  for (const type of ['longtask', 'long-animation-frame']) {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) slow.push({ type, start: e.startTime, duration: e.duration })
      }).observe({ type, buffered: true })
    } catch (_) { /* not supported: reported as none */ }
  }

  function seen () {
    const el = document.querySelector(step.selector)
    if (!el) return false
    const text = el.textContent
    return step.match === 'equals' ? text === step.expect : text.includes(step.expect)
  }

  function rendered (inFrame) {
    const s = step
    s.rendered = now()
    s.shown = document.querySelector(s.selector)?.textContent.slice(0, 60) ?? null
    const painted = () => afterTask(() => {
      s.painted = now()
      s.heightAfter = document.documentElement.scrollHeight
      finish(s)
    })
    if (inFrame) { s.frame = s.rendered; s.frameTs = frameTs; painted() } else {
      requestAnimationFrame((ts) => { s.frame = now(); s.frameTs = ts; painted() })
    }
  }

  const observer = new MutationObserver(() => {
    if (step && step.mode === 'dom' && step.rendered === null && seen()) rendered(false)
  })

  const stroke = CanvasRenderingContext2D.prototype.stroke
  CanvasRenderingContext2D.prototype.stroke = function (...args) {
    if (step && step.mode === 'canvas' && step.arrival !== null && step.rendered === null &&
        this.canvas.matches(step.selector)) {
      rendered(true)
    }
    return stroke.apply(this, args)
  }

  let finish = () => {}
  function measure (s) {
    return new Promise((resolve) => {
      step = Object.assign({}, s, {
        bytesSeen: 0, messages: 0, arrival: null, eventTimeStamp: null, taskEnd: null,
        firstFrameTs: null, frameTs: null,
        rendered: null, frame: null, painted: null, shown: null,
        heightBefore: document.documentElement.scrollHeight, heightAfter: null
      })
      const timer = setTimeout(() => finish(step, true), s.timeoutMs || 20000)
      finish = (done, timedOut) => {
        clearTimeout(timer)
        finish = () => {}
        step = null
        resolve(report(done, !!timedOut))
      }
      // Already shown (a reset step identical to the current state): nothing to wait for.
      post('/bench/armed', { page, i: s.i })
    })
  }

  function report (s, timedOut) {
    const rel = (t) => (t === null || s.arrival === null ? null : t - s.arrival)
    const end = s.painted ?? now()
    const longest = slow
      .filter((e) => s.arrival !== null && e.start < end && e.start + e.duration > s.arrival)
      .reduce((m, e) => Math.max(m, e.duration), 0)
    return {
      page, i: s.i, timedOut, bytesSeen: s.bytesSeen, messages: s.messages,
      arrivalToRendered: rel(s.rendered), arrivalToFrame: rel(s.frame),
      arrivalToPainted: rel(s.painted), arrivalToTaskEnd: rel(s.taskEnd),
      eventQueued: s.arrival === null ? null : s.arrival - s.eventTimeStamp,
      // 1: shown in the first frame after the arrival; 2: the one after; ...
      frameAfterArrival: s.frameTs === null || s.firstFrameTs === null
        ? null : 1 + Math.round((s.frameTs - s.firstFrameTs) / (1000 / 60)),
      longestTask: longest, heightBefore: s.heightBefore, heightAfter: s.heightAfter,
      shown: s.shown
    }
  }

  async function loop () {
    observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true })
    for (;;) {
      const r = await (await fetch(`/bench/next?page=${page}`, { cache: 'no-store' })).json()
      if (r.state === 'done') return
      if (r.state === 'wait') { await new Promise((resolve) => setTimeout(resolve, 100)); continue }
      const result = await measure(r)
      await post('/bench/result', result)
    }
  }

  // The app's bench-only widget: a raw text value card on `bench/raw` (the demo has none), added
  // to the configuration the app saved on its first visit, then the page reloads once.
  function addRawWidget () {
    const key = 'tablero.config'
    const text = localStorage.getItem(key)
    if (!text) return 'wait'
    const config = JSON.parse(text)
    const widgets = config.dashboards[0].widgets
    if (widgets.some((w) => w.id === 'bench-raw')) return 'ready'
    const humidity = widgets.find((w) => w.id === 'humidity')
    const binding = Object.assign({}, humidity.binding, { topic: 'bench/raw' })
    delete binding.json_path
    const raw = Object.assign({}, humidity, { id: 'bench-raw', title: 'Raw', binding, unit: '' })
    delete raw.decimals
    widgets.push(raw)
    localStorage.setItem(key, JSON.stringify(config))
    return 'reload'
  }

  function start () {
    if (page === 'app') {
      const state = addRawWidget()
      if (state === 'wait') { setTimeout(start, 100); return }
      if (state === 'reload') { location.reload(); return }
    }
    loop().catch((e) => post('/bench/error', { page, error: String(e && e.stack || e) }))
  }
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start); else start()
})()
