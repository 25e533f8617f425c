/**
 * One offline construction of a stack in a fresh process (`node --import tsx`, as `npm run plan`
 * runs it): the Lambda bundles (esbuild, or its cache), then the whole Pulumi program under the
 * recording mocks of infra/offline/run.ts (which loads @pulumi/aws and the program). Prints an `INFRA {json}` line.
 */
import { bundleFunctions } from '../../infra/build/bundle';
import { runOffline } from '../../infra/offline/run';

/** Node's start plus loading the modules above (@pulumi/pulumi among them). */
const bootMs = performance.now();

async function main() {
  const stack = process.argv[2] ?? 'prod';
  const t0 = performance.now();
  const bundles = bundleFunctions();
  const t1 = performance.now();
  const run = await runOffline(stack);
  const t2 = performance.now();
  const custom = run.resources.filter((r) => r.custom);
  const byType = new Map<string, number>();
  for (const r of custom) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const line = {
    stack,
    bootMs,
    bundleMs: t1 - t0,
    bundlesBuilt: bundles.built,
    constructMs: t2 - t1,
    resources: run.resources.length,
    customResources: custom.length,
    components: run.resources.length - custom.length,
    topTypes: [...byType.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5),
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
  process.stdout.write(`\nINFRA ${JSON.stringify(line)}\n`, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stdout.write(`\nINFRA ${JSON.stringify({ error: (err as Error).message })}\n`, () => process.exit(1));
});
