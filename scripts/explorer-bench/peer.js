// The bare WebSocket peer of scripts/explorer-bench.py: the app's explorer reduced to what a
// page must do to show the same thing, with the benchmarks' hand-written MQTT 3.1.1 client
// (scripts/bench-mqtt.js). Per message: the topic decoded, its node found (a Map by topic;
// new levels made, sorted at the next listing), its last payload (a view, no copy), retained
// flag, count and rate window updated, and a frame asked for. Once per animation frame (and
// each second, for ages and rates): the rows listed again if the tree's shape changed (every
// level open to depth 2, as the app opens `bench/#`), then a virtual list as the app's
// (src/insight/mod.rs `VirtualList`): a sizer as tall as all rows, a pool of row elements made
// once (as many as fit in sight, plus one), each placed at its row and its 7 cells (twisty,
// name, payload as text cut at 80 characters, retained mark, count, rate, age) written only
// where they changed; `data-topics` set on the list at each paint, as the app does.
import { subscribe, payloadStart } from '../bench-mqtt.js'

const cfg = window.benchConfig.peer
const ROW_PX = 28
const ROW_CHARS = 80
const RATE_WINDOW_MS = 5000
const CELLS = ['tw', 'tn', 'tv', 'tf', 'tc', 'tr', 'ta']
const OPEN_DEPTH = 2
const dec = new TextDecoder()
const enc = new TextEncoder()

// --- The tree ---
class Node {
  constructor (name, parent, depth) {
    this.name = name
    this.parent = parent
    this.depth = depth
    this.kids = new Map()
    this.sorted = []
    this.stale = false
    this.expanded = depth <= OPEN_DEPTH
    this.payload = null
    this.retain = false
    this.at = 0
    this.count = 0
    this.below = 0
    this.windowStart = 0
    this.windowCount = 0
    this.lastRate = 0
  }

  rate (now) {
    if (now - this.windowStart >= 2 * RATE_WINDOW_MS) return 0
    if (now - this.windowStart >= RATE_WINDOW_MS) return this.windowCount * 1000 / RATE_WINDOW_MS
    return this.lastRate
  }

  countInWindow (at) {
    if (at - this.windowStart >= RATE_WINDOW_MS) {
      this.lastRate = at - this.windowStart >= 2 * RATE_WINDOW_MS ? 0 : this.windowCount * 1000 / RATE_WINDOW_MS
      this.windowStart = at
      this.windowCount = 0
    }
    this.windowCount += 1
  }
}

const root = new Node('', null, 0)
const byTopic = new Map()
let rows = []
let shapeChanged = false
let changes = 0

function nodeFor (topic) {
  let at = root
  const levels = topic.split('/')
  for (let d = 0; d < levels.length; d++) {
    let next = at.kids.get(levels[d])
    if (!next) {
      next = new Node(levels[d], at, d + 1)
      at.kids.set(levels[d], next)
      at.stale = true
      shapeChanged = true
    }
    at = next
  }
  byTopic.set(topic, at)
  return at
}

function onPublish (first, body) {
  const end = 2 + ((body[0] << 8) | body[1])
  const topic = dec.decode(body.subarray(2, end))
  const node = byTopic.get(topic) || nodeFor(topic)
  const now = Date.now()
  if (node.count === 0) for (let n = node; n; n = n.parent) n.below += 1
  node.count += 1
  node.countInWindow(now)
  node.payload = body.subarray(payloadStart(first, body))
  node.retain = (first & 1) === 1
  node.at = now
  changes += 1
  ask()
}

function listOpen (node, out) {
  if (node.stale) {
    node.sorted = [...node.kids.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    node.stale = false
  }
  for (const c of node.sorted) {
    out.push(c)
    if (c.expanded) listOpen(c, out)
  }
}

// --- Words as the app writes them (src/insight/explorer.rs) ---
function age (ms) {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min`
  if (s < 86400) return `${Math.floor(s / 3600)} h`
  return `${Math.floor(s / 86400)} d`
}
const rate = (perS) => (perS <= 0 ? '' : perS < 10 ? `${perS.toFixed(1)}/s` : `${perS.toFixed(0)}/s`)
function shown (payload) {
  const text = dec.decode(payload.subarray(0, ROW_CHARS * 4 + 1))
  return text.length > ROW_CHARS ? text.slice(0, ROW_CHARS) + '…' : text
}
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text }

// --- The virtual list ---
const host = document.querySelector('.explorer-tree')
const scroller = document.createElement('div')
scroller.className = 'topic-tree vlist'
scroller.tabIndex = 0
// As tall as the app's tree measured in the same run (the same rows in sight), if given.
if (cfg.treeHeight) scroller.style.height = cfg.treeHeight + 'px'
const sizer = document.createElement('div')
sizer.className = 'vlist-sizer'
scroller.append(sizer)
host.append(scroller)
const pool = []
let listedLen = -1

function fill (node, now, row, cells) {
  setText(cells[0], node.kids.size === 0 ? '' : node.expanded ? '▾' : '▸')
  const indent = `padding-left:${(Math.max(0, node.depth - 1) * 0.9).toFixed(1).replace(/\.0$/, '')}rem`
  if (cells[0].getAttribute('style') !== indent) cells[0].setAttribute('style', indent)
  setText(cells[1], node.name === '' ? '∅' : node.name)
  if (node.payload) {
    setText(cells[2], shown(node.payload))
    setText(cells[3], node.retain ? 'R' : '')
    setText(cells[5], rate(node.rate(now)))
    setText(cells[6], age(now - node.at))
  } else {
    setText(cells[2], `(${node.below} topics)`)
    setText(cells[3], ''); setText(cells[5], ''); setText(cells[6], '')
  }
  setText(cells[4], node.count > 0 ? String(node.count) : '')
}

function paintList () {
  const len = rows.length
  if (len !== listedLen) { listedLen = len; sizer.setAttribute('style', `height:${len * ROW_PX}px`) }
  const height = Math.max(scroller.clientHeight, ROW_PX * 10)
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_PX))
  const count = Math.ceil(height / ROW_PX) + 1
  while (pool.length < count) {
    const row = document.createElement('div')
    row.className = 'vlist-row'
    const cells = CELLS.map((c) => { const s = document.createElement('span'); s.className = c; row.append(s); return s })
    sizer.append(row)
    pool.push([row, cells])
  }
  const now = Date.now()
  pool.forEach(([row, cells], i) => {
    const index = first + i
    if (index < len) {
      const top = `top:${index * ROW_PX}px`
      if (row.getAttribute('style') !== top) row.setAttribute('style', top)
      row.setAttribute('data-index', String(index))
      row.removeAttribute('hidden')
      fill(rows[index], now, row, cells)
    } else if (!row.hasAttribute('hidden')) {
      row.setAttribute('hidden', '')
    }
  })
}

// --- Once a frame ---
let asked = false
let painted = -1
let paintedAt = 0
function ask () {
  if (asked) return
  asked = true
  requestAnimationFrame(paint)
}
function paint () {
  asked = false
  const now = Date.now()
  if (painted === changes && now - paintedAt < 1000) return
  painted = changes
  paintedAt = now
  if (shapeChanged) {
    shapeChanged = false
    const out = []
    listOpen(root, out)
    rows = out
  }
  paintList()
  scroller.setAttribute('data-topics', String(root.below))
}
scroller.addEventListener('scroll', paintList)
setInterval(ask, 1000)
ask()

// --- MQTT: connected at load; the SUBSCRIBE waits for the button, as the app's does. ---
// bench-mqtt.js sends CONNECT and a SUBSCRIBE when the socket opens; the socket of this page
// keeps that SUBSCRIBE back (it names no filter) and sends the one the form asks for.
const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b] }
class HeldSocket extends window.WebSocket {
  send (data) {
    if (data[0] === 0x82 && !this.released) return
    super.send(data)
  }
}
const Native = window.WebSocket
window.WebSocket = HeldSocket
const ws = subscribe(cfg.broker, [], 'explorer-bench-peer-' + Math.floor(Math.random() * 1e9), onPublish)
window.WebSocket = Native
const status = document.getElementById('status')
ws.addEventListener('message', () => {
  if (status.dataset.state !== 'connected') { status.dataset.state = 'connected'; status.textContent = 'connected' }
}, { once: true })

document.querySelector('form.explorer-subscribe').addEventListener('submit', (e) => {
  e.preventDefault()
  const filter = e.target.elements.filter.value.trim()
  const body = [0, 2, ...str(filter), 0]
  ws.released = true
  ws.send(new Uint8Array([0x82, body.length, ...body]))
})
