/**
 * The supervisor's rules, with a stand-in for the server handle (the real server dying and coming
 * back is in test/integration/e2e/postgres-outage.e2e.test.ts).
 */
import { DESIGN } from '../../../guide';
import { PostgresSupervisor, restartDelayMs } from '../../../local/postgres-supervisor';

/** A server handle whose exit the test decides. */
function fakeServer(pid: number) {
  let exit!: (how: { code: number | null; signal: NodeJS.Signals | null }) => void;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => (exit = res));
  const server = {
    url: 'postgres://x',
    port: 1,
    dataDir: '/x',
    pid,
    exited,
    stops: 0,
    stop: async () => {
      server.stops++;
      exit({ code: 0, signal: null });
    },
  };
  return { server, crash: () => exit({ code: null, signal: 'SIGKILL' }) };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition not reached');
};

describe('restartDelayMs', () => {
  it('doubles from the first delay and stops at the cap', () => {
    const { firstDelayMs, maxDelayMs, factor } = DESIGN.localPostgresRestart;
    expect(restartDelayMs(1)).toBe(firstDelayMs);
    expect(restartDelayMs(2)).toBe(firstDelayMs * factor);
    expect(restartDelayMs(50)).toBe(maxDelayMs);
    expect(Array.from({ length: 20 }, (_, i) => restartDelayMs(i + 1)).every((d, i, all) => i === 0 || d >= all[i - 1]!)).toBe(true);
  });
});

describe('PostgresSupervisor', () => {
  const backoff = { firstDelayMs: 5, maxDelayMs: 20, factor: 2 };

  it('restarts a server that exits, reporting each failed attempt until one succeeds', async () => {
    // prepare: the first restart attempts fail (e.g. the old server's processes are still exiting)
    const servers = [fakeServer(1), fakeServer(2)];
    const failures = 3;
    let calls = 0;
    const log: string[] = [];
    const supervisor = new PostgresSupervisor({
      start: async () => {
        calls++;
        if (calls === 1) return servers[0]!.server;
        if (calls <= 1 + failures) throw new Error(`lock file busy (${calls})`);
        return servers[1]!.server;
      },
      log: (m) => log.push(m),
      backoff,
    });
    await supervisor.begin();
    expect(supervisor.status()).toEqual({ state: 'up', restarts: 0 });

    // act
    servers[0]!.crash();
    await until(() => supervisor.status().state === 'restarting' && (supervisor.status() as { attempt: number }).attempt >= 2);
    const during = supervisor.status();
    await until(() => supervisor.status().state === 'up');

    // assess
    expect(during).toMatchObject({ state: 'restarting', lastError: expect.stringMatching(/lock file busy/) });
    expect(supervisor.status()).toEqual({ state: 'up', restarts: 1 });
    expect(calls).toBe(2 + failures);
    expect(log.filter((m) => m === 'PostgreSQL restart failed; trying again')).toHaveLength(failures);
    expect(log).toContain('PostgreSQL restarted');
  });

  it('does not restart a server it was asked to stop, and stops trying when stopped mid-outage', async () => {
    // prepare
    const first = fakeServer(1);
    let calls = 0;
    const supervisor = new PostgresSupervisor({
      start: async () => {
        if (++calls === 1) return first.server;
        throw new Error('cannot start');
      },
      log: () => undefined,
      backoff,
    });
    await supervisor.begin();
    first.crash();
    await until(() => calls >= 3);

    // act
    await supervisor.stop();
    const callsAtStop = calls;
    await new Promise((r) => setTimeout(r, 100));

    // assess
    expect(calls).toBe(callsAtStop);
  });

  it('stops the server on stop() without restarting it', async () => {
    const only = fakeServer(1);
    let calls = 0;
    const start = async () => {
      calls++;
      return only.server;
    };
    const supervisor = new PostgresSupervisor({ start, log: () => undefined, backoff });
    await supervisor.begin();

    await supervisor.stop();
    await new Promise((r) => setTimeout(r, 50));

    expect(only.server.stops).toBe(1);
    expect(calls).toBe(1);
    expect(supervisor.status().state).toBe('up');
  });
});
