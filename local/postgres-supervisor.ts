/**
 * Keeps the embedded PostgreSQL running: when the server exits without being asked to, it is
 * started again on the same folder and port (so every pool's URL stays right), with bounded
 * exponential backoff (DESIGN.localPostgresRestart). Meanwhile `status()` says the database is
 * restarting and which attempt this is, so /health answers 503; the pools reconnect by themselves
 * and the workflow's tasks retry their DatabaseError until it is back.
 */
import { DESIGN } from '../guide';

/** What the supervisor needs of a server (local/postgres.mjs's LocalPostgres has it). */
export interface SupervisedServer {
  pid: number | undefined;
  /** Resolves when the server process exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export type DatabaseStatus =
  | { state: 'up'; restarts: number }
  | { state: 'restarting'; attempt: number; downSince: string; lastError?: string; restarts: number };

export interface Backoff {
  firstDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export interface SupervisorOptions<S extends SupervisedServer> {
  /** Starts the server (clearing whatever a dead one left behind). */
  start: () => Promise<S>;
  log: (message: string, fields?: Record<string, unknown>) => void;
  backoff?: Backoff;
}

/** The wait before restart attempt `attempt` (1, 2, …): first, first × factor, … up to the cap. */
export const restartDelayMs = (attempt: number, b: Backoff = DESIGN.localPostgresRestart): number =>
  Math.min(b.maxDelayMs, b.firstDelayMs * b.factor ** (attempt - 1));

export class PostgresSupervisor<S extends SupervisedServer> {
  private server?: S;
  private stopping = false;
  private restarts = 0;
  private outage?: { attempt: number; downSince: Date; lastError?: string };
  private wake?: () => void;

  constructor(private readonly opts: SupervisorOptions<S>) {}

  /** Starts the server the first time; a failure here is the runtime's start-up error. */
  async begin(): Promise<S> {
    const server = await this.opts.start();
    this.watch(server);
    return server;
  }

  status(): DatabaseStatus {
    if (!this.outage) return { state: 'up', restarts: this.restarts };
    const { attempt, downSince, lastError } = this.outage;
    return {
      state: 'restarting',
      attempt,
      downSince: downSince.toISOString(),
      ...(lastError ? { lastError } : {}),
      restarts: this.restarts,
    };
  }

  /** Stops supervising and stops the server. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.server?.stop();
  }

  private watch(server: S): void {
    this.server = server;
    void server.exited.then(({ code, signal }) => {
      if (this.stopping || this.server !== server) return;
      this.opts.log('PostgreSQL exited unexpectedly; restarting it', { level: 'ERROR', pid: server.pid, code, signal });
      void this.restart();
    });
  }

  private async restart(): Promise<void> {
    const outage: { attempt: number; downSince: Date; lastError?: string } = { attempt: 0, downSince: new Date() };
    this.outage = outage;
    const backoff = this.opts.backoff ?? DESIGN.localPostgresRestart;
    while (!this.stopping) {
      outage.attempt++;
      await this.pause(restartDelayMs(outage.attempt, backoff));
      if (this.stopping) return;
      try {
        const server = await this.opts.start();
        if (this.stopping) {
          await server.stop();
          return;
        }
        this.restarts++;
        this.opts.log('PostgreSQL restarted', {
          attempt: outage.attempt,
          downMs: Date.now() - outage.downSince.getTime(),
          pid: server.pid,
        });
        this.outage = undefined;
        this.watch(server);
        return;
      } catch (err) {
        outage.lastError = (err as Error).message.split('\n')[0];
        this.opts.log('PostgreSQL restart failed; trying again', {
          level: 'ERROR',
          attempt: outage.attempt,
          nextInMs: restartDelayMs(outage.attempt + 1, backoff),
          error: outage.lastError,
        });
      }
    }
  }

  /** Waits `ms`, or less if stop() is called meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
