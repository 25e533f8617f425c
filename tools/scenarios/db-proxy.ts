/**
 * A TCP proxy between the runtime and its PostgreSQL, so a scenario can make the database stop
 * answering the way a failing instance does: while frozen, connections stay open and bytes stop
 * flowing both ways, new connections are accepted and hang. When it answers again, the connections
 * of the outage are broken (as a failover or a restart breaks them: what they sent is lost) and
 * new ones work.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface DbProxy {
  /** The database URL with the proxy's port. */
  readonly url: string;
  freeze(): void;
  unfreeze(): void;
  close(): Promise<void>;
}

export async function startDbProxy(databaseUrl: string): Promise<DbProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  /** The connections that were open, or opened, while frozen. */
  const caught = new Set<Socket>();
  let frozen = false;
  /** Forwards `from` to `to`; while frozen nothing passes. */
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (!frozen && !caught.has(from)) to.write(chunk);
    });
  };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) sockets.add(s);
    if (frozen) {
      caught.add(client);
      caught.add(upstream);
    }
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      for (const s of [client, upstream]) {
        sockets.delete(s);
        caught.delete(s);
      }
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = new URL(databaseUrl);
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    freeze() {
      frozen = true;
      for (const s of sockets) caught.add(s);
    },
    unfreeze() {
      frozen = false;
      for (const s of caught) s.destroy();
      caught.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
