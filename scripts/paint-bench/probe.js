// The paint benchmark's probe (scripts/paint-bench.py), loaded before anything else on the
// page it measures: the served copy of the app's index.html, or the bare peer page. It is
// never part of the shipped app.
//
// It stamps performance.now() at every WebSocket message event (a listener added in the
// constructor runs before the page's own `onmessage`) and at the end of that message's task
// (a task posted from the listener), watches the DOM (or, for a canvas, the 2D context's
// `stroke`) for the moment the expected text is rendered, then stamps the next animation
// frame and a task posted from it (after that frame's style, layout and paint). Long tasks
// and long animation frames are recorded by a PerformanceObserver.
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
        }
      })
    }
  }
  window.WebSocket = StampedWebSocket

  // When the animation frame callback being run started, whoever asked for it (the chart
  // draws in its own): the start of that frame's work.
  let frameStart = null
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window)
  window.requestAnimationFrame = (callback) =>
    nativeRequestAnimationFrame((ts) => { frameStart = now(); callback(ts) })

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
    if (inFrame) { s.frame = frameStart; painted() } else {
      requestAnimationFrame(() => { s.frame = now(); painted() })
    }
  }

  const observer = new MutationObserver((records) => {
    if (!step) return
    if (step.mode === 'dom' && step.rendered === null && seen()) rendered(false)
    // The chart's DOM change is its point count (`data-points`); its drawing comes in a frame.
    if (step.mode === 'canvas' && step.arrival !== null && step.dom === null &&
        records.some((r) => r.type === 'attributes')) step.dom = now()
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
        dom: null, rendered: null, frame: null, painted: null, shown: null,
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
      arrivalToRendered: rel(s.mode === 'canvas' ? s.dom : s.rendered),
      arrivalToDrawn: s.mode === 'canvas' ? rel(s.rendered) : null, arrivalToFrame: rel(s.frame),
      arrivalToPainted: rel(s.painted), arrivalToTaskEnd: rel(s.taskEnd),
      eventQueued: s.arrival === null ? null : s.arrival - s.eventTimeStamp,
      // The main thread's work for it, whatever the wait for the next frame: the message's task
      // (the page's handler and its microtasks) plus the frame's callbacks, style, layout, paint.
      work: s.arrival === null || s.painted === null || s.taskEnd === null
        ? null : (Math.min(s.taskEnd, s.frame) - s.arrival) + (s.painted - s.frame),
      longestTask: longest, heightBefore: s.heightBefore, heightAfter: s.heightAfter,
      shown: s.shown
    }
  }

  async function loop () {
    observer.observe(document.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-points']
    })
    for (;;) {
      const r = await (await fetch(`/bench/next?page=${page}`, { cache: 'no-store' })).json()
      if (r.state === 'done') return
      if (r.state === 'wait') { await new Promise((resolve) => setTimeout(resolve, 100)); continue }
      const result = await measure(r)
      await post('/bench/result', result)
    }
  }

  // The app reads its configuration from localStorage: the demo's, plus a raw text value card
  // on `bench/raw`, written by the harness. Synchronous, so it is stored before the app starts.
  if (page === 'app') {
    const request = new XMLHttpRequest()
    request.open('GET', '/bench/config', false)
    request.send()
    localStorage.setItem('tablero.config', request.responseText)
  }

  function start () {
    loop().catch((e) => post('/bench/error', { page, error: String(e && e.stack || e) }))
  }
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start); else start()
})()
