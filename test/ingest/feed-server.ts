/** A loopback HTTP server serving generated feeds, for the ingest tests (real HTTP, no mocks). */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { IngestDeps } from '../../src/ingest/refresh-source.js';
import { seededRandom } from '../../src/schedule/index.js';
import type { Store } from '../../src/store/index.js';

export interface Route {
  status?: number;
  contentType?: string;
  body: string;
  headers?: Record<string, string>;
  /** Answers this long after the request arrives (a slow host). */
  delayMs?: number;
}

export interface FeedServer {
  url(path: string): string;
  /** Requests per path. */
  hits: Map<string, number>;
  routes: Map<string, Route>;
  close(): Promise<void>;
}

function answer(req: IncomingMessage, res: ServerResponse, route: Route): void {
  const etag = `"${createHash('sha1').update(route.body).digest('hex').slice(0, 16)}"`;
  if ((route.status ?? 200) === 200 && req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(route.status ?? 200, {
    'content-type': route.contentType ?? 'application/rss+xml',
    etag,
    ...route.headers,
  });
  res.end(route.body);
}

export async function startFeedServer(routes: Map<string, Route>): Promise<FeedServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if (route.delayMs) setTimeout(() => answer(req, res, route), route.delayMs);
    else answer(req, res, route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    routes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The hour this test process started in: recent, so a new source's posts are news rather than backlog,
 * and fixed, so a feed is the same bytes every time it is served. */
const FEED_EPOCH = Math.floor(Date.now() / 3_600_000) * 3_600_000;

/** An RSS 2.0 feed of `count` items, item i published i hours before FEED_EPOCH. */
export function rssFeed(name: string, count: number, extra = ''): string {
  const items = Array.from({ length: count }, (_, i) => {
    const date = new Date(FEED_EPOCH - i * 3_600_000).toUTCString();
    return `<item><title>${name} post ${i}</title><link>https://${name}.example/posts/${i}</link><guid>https://${name}.example/posts/${i}</guid>
      <pubDate>${date}</pubDate><description>&lt;p&gt;Body ${i} of ${name}&lt;/p&gt;${extra}</description></item>`;
  }).join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>https://${name}.example/</link>${items}</channel></rss>`;
}

/** An article page: navigation and comments around the article, and a script inside it. */
export function articlePage(n: number): string {
  const paragraph = (i: number) =>
    `<p>Paragraph ${i} of article ${n}: the full text that the feed only hinted at, long enough for a reader view to take it for the body of a real post, with commas, clauses, and sentences.</p>`;
  return `<!DOCTYPE html><html><head><title>Article ${n}</title></head><body>
    <nav><a href="/">Home</a> <a href="/about">About this blog</a></nav>
    <article><h1>Article ${n}</h1>${[1, 2, 3, 4].map(paragraph).join('')}
      <script>alert("article script ${n}")</script><p>See <a href="related">related notes</a>.</p></article>
    <section class="comments"><p>Comment: nice one</p></section></body></html>`;
}

/** Ingest dependencies for tests against the loopback feed server: private networks allowed, a short
 * deadline, deterministic jitter, no log output. */
export function testIngestDeps(store: Store): IngestDeps {
  return {
    store,
    fetchPolicy: { allowPrivateNetworks: true, timeoutMs: 5000 },
    random: seededRandom(1),
    now: () => new Date(),
    log: pino({ level: 'silent' }),
  };
}
