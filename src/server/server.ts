/**
 * The HTTP app on plain node:http. A dozen GET routes, all rendered by `site.ts` and cached by
 * `response-cache.ts`, need no framework: routing is one function and every response goes through
 * `send` below (security headers, validators, compression, HEAD).
 */
import http from 'node:http';
import { SearchBusyError } from '../store/index.js';
import type { WebSubCallback } from '../websub/index.js';
import { chooseEncoding } from './encoding.js';
import { SECURITY_HEADERS } from './headers.js';
import { ImageProxy, type ImageProxyOptions, isImageProxyPath } from './image-proxy.js';
import { type Links, liveLinks } from './links.js';
import { operationsResponse } from './metrics.js';
import { PreparedResponse } from './prepared.js';
import { ResponseCache } from './response-cache.js';
import { matchOperationsRoute, matchRoute, matchWebSubCallback, routeKey } from './routes.js';
import { createSite, type SiteOptions } from './site.js';

export interface ServerOptions extends SiteOptions {
  /**
   * How long a rendered page is served from memory before the next request renders it again. By default 1 s,
   * stretched for slow pages so that re-rendering one page takes at most 1 % of the time (a search that
   * takes 100 ms is kept 10 s); never longer than the page's own max-age (10 s for /sources).
   */
  cacheTtlMs?: number;
  /** Rendered pages kept in memory; 256 by default. */
  cacheEntries?: number;
  /** Called with errors that became a 500 response; console.error by default. */
  onError?: (error: unknown) => void;
  /** Answers hubs at `/websub/<sourceId>/<token>` (see websub/callback.ts); 404 there without it. */
  websub?: WebSubCallback;
  /** The image proxy at `/img/…` (image-proxy.ts): on for plain-http images unless told otherwise. */
  imageProxy?: ImageProxyOptions;
}

/** The site as an `http.Server`; the caller listens (`server.listen(port, '127.0.0.1')`). */
export function createServer(options: ServerOptions): http.Server {
  const site = createSite(options);
  const links = liveLinks(site.styleVersion, site.themeFile);
  const { cacheTtlMs } = options;
  const ttl =
    cacheTtlMs === undefined ? (renderMs: number) => Math.max(1000, renderMs * 100) : () => cacheTtlMs;
  const cache = new ResponseCache({ ttl, maxEntries: options.cacheEntries ?? 256 });
  const notFound = new PreparedResponse(site.notFound(links));
  const failure = new PreparedResponse(site.failure(links));
  /** Prepared once: under a flood of searches this is most of what the server sends. */
  let searchBusy: PreparedResponse | undefined;
  const onError = options.onError ?? ((error: unknown) => console.error('tributary server:', error));
  const images = new ImageProxy(options.store, options.imageProxy);
  // Pages link images through the proxy, whose signing key is read from the database on first need.
  const linksWithImages = async (): Promise<Links> => {
    const image = await images.imageMap();
    return image ? { ...links, image } : links;
  };

  async function respond(request: http.IncomingMessage): Promise<PreparedResponse> {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return notFound;
    }
    const route = matchRoute(url.pathname, url.searchParams);
    if (!route) return notFound;
    try {
      return await cache.get(routeKey(route), async () => site.render(route, await linksWithImages()));
    } catch (error) {
      if (error instanceof SearchBusyError) {
        searchBusy ??= new PreparedResponse(site.searchBusy(links, error.retryAfterSeconds));
        return searchBusy;
      }
      onError(error);
      return failure;
    }
  }

  return http.createServer((request, response) => {
    const callback = options.websub && matchWebSubCallback((request.url ?? '/').split('?')[0]!);
    if (callback && options.websub) {
      options.websub(request, response, callback);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {
        ...SECURITY_HEADERS,
        Allow: 'GET, HEAD',
        'Content-Type': 'text/plain; charset=utf-8',
      });
      response.end('Only GET and HEAD are served here.\n');
      return;
    }
    if (isImageProxyPath((request.url ?? '/').split('?')[0]!)) {
      images.serve(request, response).catch((error: unknown) => {
        onError(error);
        if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
        response.end();
      });
      return;
    }
    const operation = matchOperationsRoute((request.url ?? '/').split('?')[0]!);
    if (operation) {
      operationsResponse(operation, options.store, options.now?.()).then((reply) => {
        response.writeHead(reply.status, {
          ...SECURITY_HEADERS,
          'Content-Type': reply.contentType,
          'Cache-Control': 'no-store',
        });
        response.end(request.method === 'HEAD' ? undefined : reply.body);
      });
      return;
    }
    respond(request).then(
      (prepared) => send(request, response, prepared),
      (error: unknown) => {
        onError(error);
        if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
        response.end();
      },
    );
  });
}

function send(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  prepared: PreparedResponse,
): void {
  const encoding = prepared.compressible ? chooseEncoding(request.headers['accept-encoding']) : 'identity';
  if (prepared.isNotModified(request.headers['if-none-match'], request.headers['if-modified-since'])) {
    response.writeHead(304, prepared.notModifiedHeaders(encoding));
    response.end();
    return;
  }
  const { body, headers } = prepared.variant(encoding);
  response.writeHead(prepared.status, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}
