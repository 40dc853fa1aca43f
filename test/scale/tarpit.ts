/** A loopback TCP server that accepts every connection and never sends a byte: a host (HTTP or PostgreSQL)
 * that hangs. Connections are held until `close()`. */
import { createServer, type Socket } from 'node:net';

export interface Tarpit {
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** Called as each connection is accepted. */
  onConnection?: () => void;
  close(): Promise<void>;
}

export async function startTarpit(): Promise<Tarpit> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    tarpit.connections++;
    tarpit.onConnection?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the tarpit has no port');
  const tarpit: Tarpit = {
    port: address.port,
    connections: 0,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return tarpit;
}
