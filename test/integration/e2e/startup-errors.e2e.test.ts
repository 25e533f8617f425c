/** `npm start` refuses clearly, and exits, when it cannot start. */
import { createServer, type Server } from 'node:net';
import { LocalRuntime, freePort } from '../../../harness/local-runtime';

async function occupy(): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, port };
}

describe('local runtime: start-up errors', () => {
  it('names PORT when the API port is taken', async () => {
    const { server, port } = await occupy();
    try {
      const started = LocalRuntime.start({ databaseUrl: process.env.TEST_DATABASE_URL, env: { PORT: String(port) } });

      await expect(started).rejects.toThrow(new RegExp(`Port ${port} on 127.0.0.1 is already in use.*PORT=`));
    } finally {
      server.close();
    }
  });

  it('names AIP_PG_PORT when the database port is taken', async () => {
    const { server, port } = await occupy();
    try {
      const started = LocalRuntime.start({ env: { AIP_PG_PORT: String(port) } });

      await expect(started).rejects.toThrow(/already in use, so PostgreSQL cannot listen there\. Set AIP_PG_PORT/);
    } finally {
      server.close();
    }
  });

  it('names AIP_DATA_DIR when the data folder cannot be written', async () => {
    const started = LocalRuntime.start({ dataDir: '/dev/null/aip-data', env: { AIP_PG_PORT: String(await freePort()) } });

    await expect(started).rejects.toThrow(/is not writable .*AIP_DATA_DIR/);
  });

  it("prints the setting's error, not a stack trace, when PORT is not a number", async () => {
    const started = LocalRuntime.start({ databaseUrl: process.env.TEST_DATABASE_URL, env: { PORT: 'abc' } });

    const err: Error = await started.then(
      () => new Error('it started'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/could not start: PORT="abc" must be an integer from 0 to 65535; unset it for the default \(3000\)/);
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it('names the variable when a setting is wrong', async () => {
    const started = LocalRuntime.start({ databaseUrl: process.env.TEST_DATABASE_URL, env: { AIP_STEP_TIMEOUT_SECONDS: 'soon' } });

    await expect(started).rejects.toThrow(/AIP_STEP_TIMEOUT_SECONDS="soon" must be an integer/);
  });
});
