// Drives one scenario with autocannon and prints its result as one JSON line.
// Usage: node loadgen.js '<scenario JSON>'   (autocannon is found through NODE_PATH)
//
// A scenario: {url, connections, duration, headers, steps: [{method, path, body}]}.
// In a step, "{n}" in the path or body becomes a number unique to the connection and loop, so a
// create-then-delete pair works on a fresh account every time.
'use strict'

const autocannon = require('autocannon')

const scenario = JSON.parse(process.argv[2])
let sequence = 0

function fill (text, context) {
  return text === undefined ? undefined : text.split('{n}').join(String(context.n))
}

const requests = scenario.steps.map((step, index) => ({
  method: step.method,
  setupRequest (request, context) {
    if (index === 0) context.n = `${process.pid}x${sequence++}`
    return { ...request, path: fill(step.path, context), body: fill(step.body, context) }
  }
}))

autocannon({
  url: scenario.url,
  connections: scenario.connections,
  duration: scenario.duration,
  headers: { 'content-type': 'application/json', ...scenario.headers },
  requests
}, (error, result) => {
  if (error) {
    console.error(String(error))
    process.exit(1)
  }
  console.log(JSON.stringify({
    requests_per_second: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    total: result.requests.total,
    ok: result['2xx'],
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts
  }))
})
