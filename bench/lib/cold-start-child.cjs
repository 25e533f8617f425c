// One cold start: run by a fresh `node` (no loader, as on Lambda) with a bundle and an event file.
// Prints a `COLD_START {json}` line: Node's own boot (time before this script ran), the bundle's
// require time, and its first invocation; then exits (the pool would keep the process alive).
'use strict';
const bootMs = performance.now();
const { readFileSync } = require('node:fs');

const [bundle, eventFile] = process.argv.slice(2);
const { event, context } = JSON.parse(readFileSync(eventFile, 'utf8'));
const t0 = performance.now();
const mod = require(bundle);
const t1 = performance.now();
const deadline = Date.now() + context.timeoutMs;
const ctx = { ...context.fields, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };

function report(outcome) {
  const t2 = performance.now();
  const line = { bootMs, requireMs: t1 - t0, firstInvokeMs: t2 - t1, rssMb: process.memoryUsage().rss / 2 ** 20, ...outcome };
  process.stdout.write(`\nCOLD_START ${JSON.stringify(line)}\n`, () => process.exit(0));
}

Promise.resolve()
  .then(() => mod.handler(event, ctx))
  .then(
    (res) => report({ ok: true, statusCode: res?.statusCode }),
    (err) => report({ ok: false, error: `${err?.name}: ${err?.message}` }),
  );
