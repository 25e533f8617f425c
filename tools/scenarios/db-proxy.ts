/**
 * A TCP proxy between the runtime and its PostgreSQL, so a scenario can make the database stop
 * answering the way a frozen instance or a network partition does: connections stay open, bytes
 * stop flowing both ways, new connections are accepted and hang. Unfreezing delivers what waited.
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
  const flushes = new Set<() => void>();
  const sockets = new Set<Socket>();
  let frozen = false;
  /** Forwards `from` to `to`, holding the bytes while frozen. */
  const forward = (from: Socket, to: Socket) => {
    const held: Buffer[] = [];
    from.on('data', (chunk: Buffer) => {
      if (frozen) held.push(chunk);
      else to.write(chunk);
    });
    const flush = () => {
      while (held.length) to.write(held.shift()!);
    };
    flushes.add(flush);
    from.on('close', () => flushes.delete(flush));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) sockets.add(s);
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
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
    },
    unfreeze() {
      frozen = false;
      for (const flush of flushes) flush();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
