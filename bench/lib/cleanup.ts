/**
 * Everything a run starts (PostgreSQL, runtimes, servers, temp folders) registers how to stop it
 * here; `stopAll` runs on success, on error and on Ctrl-C, newest first, so nothing is left running.
 */
type Stop = () => Promise<unknown> | unknown;

const stops: { name: string; stop: Stop }[] = [];

export function onStop(name: string, stop: Stop): () => Promise<void> {
  const entry = { name, stop };
  stops.push(entry);
  return async () => {
    const i = stops.indexOf(entry);
    if (i < 0) return;
    stops.splice(i, 1);
    await stop();
  };
}

export async function stopAll(): Promise<void> {
  while (stops.length) {
    const { name, stop } = stops.pop()!;
    try {
      await stop();
    } catch (err) {
      process.stderr.write(`  could not stop ${name}: ${(err as Error).message}\n`);
    }
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping what the benchmark started…\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

/** Runs a bench command line's `main`, stops everything it started, and exits 0, or 1 with the error. */
export function runCli(main: () => Promise<void>): void {
  main()
    .then(() => stopAll())
    .then(
      () => process.exit(0),
      async (err: unknown) => {
        process.stderr.write(`${(err as Error).stack}\n`);
        await stopAll();
        process.exit(1);
      },
    );
}
