// The streaming chart benchmark's probe (scripts/chart-bench.py), loaded before anything else
// on the page it measures: the served copy of the app's index.html, or the uPlot peer page.
// It is never part of the shipped app.
//
// Its own requestAnimationFrame loop runs first in every frame (it re-registers from its own
// callback, before the page's callbacks of that frame are registered). Per frame it stamps
// the start of that callback and a task posted from it (MessageChannel: runs after the
// frame's other callbacks, style, layout and paint): the frame's main-thread work. It also
// times the page's own animation frame callbacks (the chart's drawing) and counts canvas
// strokes (did the frame draw?), and counts WebSocket messages. After a warm-up counted from
// the first message, it records `measureSecs` of frames and reports them by POST to the
// harness that serves the page (no DevTools client attached).
(() => {
  'use strict'
  const now = () => performance.now()
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const page = location.pathname.startsWith('/peer') ? 'peer' : 'app'

  const plan = (() => {
    const request = new XMLHttpRequest()
    request.open('GET', `/bench/plan?page=${page}`, false)
    request.send()
    return JSON.parse(request.responseText)
  })()
  // The app reads its configuration from localStorage: one chart of 6 series, written by the
  // harness. Synchronous, so it is stored before the app starts.
  if (page === 'app') localStorage.setItem('tablero.config', JSON.stringify(plan.config))

  let messages = 0
  let firstMessage = null
  const NativeWebSocket = window.WebSocket
  class CountedWebSocket extends NativeWebSocket {
    constructor (...args) {
      super(...args)
      this.addEventListener('message', () => {
        messages++
        if (firstMessage === null) firstMessage = now()
      })
    }
  }
  window.WebSocket = CountedWebSocket

  // The frame being measured: the page's callbacks and strokes add to it.
  let current = null
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window)
  window.requestAnimationFrame = (callback) =>
    nativeRequestAnimationFrame((ts) => {
      const t = now()
      const f = current
      try { callback(ts) } finally {
        // Its microtasks too (uPlot draws in one queued by setData): this one runs after them.
        queueMicrotask(() => { if (f) { f.callbacks++; f.callbackMs += now() - t } })
      }
    })
  const stroke = CanvasRenderingContext2D.prototype.stroke
  CanvasRenderingContext2D.prototype.stroke = function (...args) {
    if (current) current.strokes++
    return stroke.apply(this, args)
  }

  const channel = new MessageChannel()
  const queued = []
  channel.port1.onmessage = () => { const f = queued.shift(); if (f) f() }
  function afterTask (f) { queued.push(f); channel.port2.postMessage(0) }

  const longFrames = []
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longFrames.push([e.startTime, e.duration])
    }).observe({ type: 'long-animation-frame', buffered: false })
  } catch (_) { /* not supported */ }

  // [rAF timestamp, start, end, page callbacks' ms, strokes]
  const frames = []
  let state = 'warmup'
  let measureStart = null
  let messagesAtStart = 0

  function tick (ts) {
    const start = now()
    nativeRequestAnimationFrame(tick)
    const f = { ts, start, callbacks: 0, callbackMs: 0, strokes: 0 }
    current = f
    afterTask(() => {
      if (current === f) current = null
      if (state === 'measuring') frames.push([f.ts, f.start, now(), f.callbackMs, f.strokes])
    })
    if (state === 'warmup' && firstMessage !== null && start - firstMessage >= plan.warmupSecs * 1000) {
      state = 'measuring'
      measureStart = start
      messagesAtStart = messages
      longFrames.length = 0
      post('/bench/start', { page })
    } else if (state === 'measuring' && start - measureStart >= plan.measureSecs * 1000) {
      state = 'done'
      const end = start
      afterTask(() => report(end))
    }
  }

  function report (end) {
    const canvas = page === 'app' ? document.querySelector('.chart-canvas') : document.querySelector('.uplot canvas')
    post('/bench/result', {
      page,
      frames,
      seconds: (end - measureStart) / 1000,
      messages: messages - messagesAtStart,
      longAnimationFrames: longFrames.filter(([s]) => s >= measureStart && s < end),
      canvas: canvas ? { cssWidth: canvas.clientWidth, cssHeight: canvas.clientHeight, width: canvas.width, height: canvas.height } : null,
      points: page === 'app'
        ? Number(document.querySelector('.chart-canvas')?.getAttribute('data-points') ?? -1)
        : (window.peerPoints ? window.peerPoints() : -1),
      devicePixelRatio: window.devicePixelRatio
    })
  }

  nativeRequestAnimationFrame(tick)
  // The app's chart canvas size, as soon as it is laid out (the peer is sized to it).
  if (page === 'app') {
    const sized = () => {
      const canvas = document.querySelector('.chart-canvas')
      if (canvas && canvas.clientWidth > 0) post('/bench/size', { width: canvas.clientWidth, height: canvas.clientHeight })
      else setTimeout(sized, 200)
    }
    setTimeout(sized, 200)
  }
})()
