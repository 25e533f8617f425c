/**
 * `node --import tsx bench/lib/await-cost.ts [module]`: the cost of 2 M awaits before and after
 * loading a module, to see whether it turns on async hooks (every promise then pays for them).
 * Used for results/NOTES.md, e.g. with `functions/src/runtime/deps.ts`, and again with
 * AWS_XRAY_MANUAL_MODE=1 in the environment.
 */
import { resolve } from 'node:path';

async function awaits(n = 2_000_000): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await Promise.resolve(i);
  return Math.round(performance.now() - t0);
}

async function main() {
  const module = process.argv[2];
  const before = await awaits();
  if (module) require(resolve(module));
  const after = await awaits();
  process.stdout.write(`2 M awaits: ${before} ms before, ${after} ms after loading ${module ?? '(nothing)'}\n`);
  process.exit(0);
}

void main();
