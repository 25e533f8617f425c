/** `npm run cost`: see cost/cli.ts. */
import { runCost } from './cli';
import { loadProgram } from './program';

runCost(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  loadProgram,
  // Loaded only for --measure: it brings the bench harness (PostgreSQL, the runtime as a child).
  measure: (opts) => (require('./measure/run') as typeof import('./measure/run')).measureAndWrite(opts),
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
