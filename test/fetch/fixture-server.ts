/**
 * A loopback HTTP server for the fetch tests: 127.0.0.1, random port, one route table per test file.
 * It records every request and connection so tests can assert what the fetcher sent (or that it
 * never connected), and when each response stream closed (the fetcher freed the socket).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, server: FixtureServer) => void;

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
}

export interface FixtureServer {
  origin: string;
  port: number;
  url(path: string): string;
  requests: RecordedRequest[];
  connections: number;
  /** Resolves when the response to the next request for `path` closes (finished or torn down). */
  responseClosed(path: string): Promise<{ at: number; finished: boolean }>;
  close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, Handler> = {}): Promise<FixtureServer> {
  const closeWaiters = new Map<string, (r: { at: number; finished: boolean }) => void>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    fixture.requests.push({ path, headers: req.headers });
    res.on('close', () => {
      closeWaiters.get(path)?.({ at: performance.now(), finished: res.writableFinished });
      closeWaiters.delete(path);
    });
    const route = routes[path.split('?')[0]!];
    if (route) route(req, res, fixture);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such fixture');
  });
  server.on('connection', () => fixture.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const fixture: FixtureServer = {
    origin,
    port,
    url: (path) => origin + path,
    requests: [],
    connections: 0,
    responseClosed: (path) => new Promise((resolve) => closeWaiters.set(path, resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fixture;
}

/** Sends `body` with the given status and headers. */
export const respond =
  (status: number, headers: Record<string, string>, body: string | Uint8Array = ''): Handler =>
  (_req, res) => {
    res.writeHead(status, headers).end(body);
  };

/** A redirect with `status` to `location` (a path on the same server or an absolute URL). */
export const redirect =
  (status: number, location: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { location }).end();
  };

/**
 * Writes `chunk` every `intervalMs` until the client goes away or `maxChunks` were sent
 * (a bound, so a broken fetcher cannot keep the test process busy forever).
 */
export const drip =
  (chunk: Uint8Array, intervalMs: number, maxChunks: number, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', ...headers });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= maxChunks) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(chunk);
      sent++;
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  };

/** Streams `chunk` as fast as the client reads, honouring backpressure, until it goes away or `maxChunks`. */
export const flood =
  (chunk: Uint8Array, maxChunks: number, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', ...headers });
    let sent = 0;
    const pump = () => {
      while (!res.destroyed && sent < maxChunks) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
