/** A loopback TCP proxy (to PostgreSQL, here) that can cut every connection through it at once, as a network
 * blip or a database restart does. New connections go through as before. */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections opened through the proxy so far. */
  connections: number;
  /** Destroys every open connection, both ways; returns how many there were. */
  cutAll(): number;
  /** Once: the next time a client sends bytes holding `bytes`, they reach the server and the connection is
   * cut before any answer comes back. */
  cutAfter(bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    proxy.connections++;
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      const trap = cutTrap;
      if (!trap || !chunk.includes(trap.bytes)) return;
      cutTrap = undefined;
      // The client hears nothing more; the server reads what was sent, then the end of the connection.
      client.destroy();
      upstream.end();
      trap.sprung();
    });
    upstream.pipe(client);
  });
  let cutTrap: { bytes: Buffer; sprung: () => void } | undefined;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  const proxy: TcpProxy = {
    port: address.port,
    connections: 0,
    cutAll() {
      const open = [...pairs];
      for (const pair of open) for (const socket of pair) socket.destroy();
      pairs.clear();
      return open.length;
    },
    cutAfter(bytes) {
      return new Promise((sprung) => (cutTrap = { bytes, sprung }));
    },
    close() {
      proxy.cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

/** A proxy in front of the PostgreSQL server `databaseUrl` names, and the same URL through it. */
export async function proxyDatabase(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return { proxy, url: url.href };
}
