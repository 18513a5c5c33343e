// Runs the aedes MQTT broker (3.1.1) on loopback for the interop tests.
//
// Usage: node scripts/brokers/aedes.js --tcp PORT [--ws PORT] [--ws-path /mqtt]
//
// Listens on 127.0.0.1 only. Prints `aedes ready tcp=PORT ws=PORT` once every listener is
// bound, then one line per client event, so a test harness can wait for readiness and show
// the broker's side of a failure. Exits with status 1 if a port cannot be bound, so the
// harness can retry on fresh ports.
'use strict'
// CommonJS, so the repository's package.json needs no "type"; aedes itself is an ES module
// and comes in through import().
const { createServer: createTcpServer } = require('node:net')
const { createServer: createHttpServer } = require('node:http')
const { WebSocketServer, createWebSocketStream } = require('ws')

function parseArgs (argv) {
  const opts = { tcp: null, ws: null, wsPath: '/mqtt' }
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]]
    if (value === undefined) usage(`${flag} needs a value`)
    if (flag === '--tcp') opts.tcp = port(value)
    else if (flag === '--ws') opts.ws = port(value)
    else if (flag === '--ws-path') opts.wsPath = value
    else usage(`unknown option ${flag}`)
  }
  if (opts.tcp === null) usage('--tcp is required')
  return opts
}

function port (text) {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > 65535) usage(`${text} is not a port`)
  return n
}

function usage (message) {
  console.error(`aedes.js: ${message}`)
  console.error('usage: node scripts/brokers/aedes.js --tcp PORT [--ws PORT] [--ws-path /mqtt]')
  process.exit(2)
}

function listen (server, portNumber) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(portNumber, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  const { Aedes } = await import('aedes')
  const broker = await Aedes.createBroker()
  const id = (client) => (client ? client.id : '?')

  broker.on('client', (c) => console.log(`client ${id(c)} connected`))
  broker.on('clientDisconnect', (c) => console.log(`client ${id(c)} disconnected`))
  broker.on('clientError', (c, e) => console.log(`client ${id(c)} error: ${e.message}`))
  broker.on('connectionError', (c, e) => console.log(`connection error: ${e.message}`))
  broker.on('subscribe', (subs, c) =>
    console.log(`client ${id(c)} subscribed ${subs.map((s) => `${s.topic} q${s.qos}`).join(', ')}`))
  broker.on('unsubscribe', (topics, c) => console.log(`client ${id(c)} unsubscribed ${topics.join(', ')}`))
  broker.on('publish', (p, c) => {
    if (c) console.log(`client ${id(c)} published ${p.topic} q${p.qos} r${p.retain ? 1 : 0} (${p.payload.length} bytes)`)
  })

  try {
    await listen(createTcpServer(broker.handle), opts.tcp)
    if (opts.ws !== null) {
      const http = createHttpServer()
      const wss = new WebSocketServer({ server: http, path: opts.wsPath })
      wss.on('connection', (socket, req) => broker.handle(createWebSocketStream(socket), req))
      await listen(http, opts.ws)
    }
  } catch (e) {
    console.error(`aedes.js: cannot listen: ${e.message}`)
    process.exit(1)
  }
  console.log(`aedes ready tcp=${opts.tcp}${opts.ws !== null ? ` ws=${opts.ws}${opts.wsPath}` : ''}`)

  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => broker.close(() => process.exit(0)))
  }
}

main().catch((e) => {
  console.error(`aedes.js: ${e.stack || e}`)
  process.exit(1)
})
