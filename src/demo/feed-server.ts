/**
 * The sample sites, on a loopback HTTP server (127.0.0.1, a free port): each feed at its path, a stand-in page
 * for every post (so "original" links work offline), the posts' pictures (PNG and JPEG drawn on first
 * request), and an index of the feeds at `/`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../publish/post-view.js';
import { rasterize } from './art.js';
import { DEMO_FEEDS } from './feeds/index.js';
import type { DemoFeed, DemoImage, DemoSite } from './sample-feed.js';

export interface FeedServer {
  site: DemoSite;
  /** The feed's absolute URL. */
  feedUrl(feed: DemoFeed): string;
  close(): Promise<void>;
}

interface Page {
  contentType: string;
  body: string | Buffer;
}

const HTML = 'text/html; charset=utf-8';

function htmlPage(title: string, body: string): Page {
  return {
    contentType: HTML,
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
<p><a href="/">All sample feeds</a></p></body></html>
`,
  };
}

/** Every page of the demo sites, rendered once: the feeds' dates count back from `site.now`. */
function pages(site: DemoSite): Map<string, Page> {
  const map = new Map<string, Page>();
  const list = DEMO_FEEDS.map(
    (f) =>
      `<li><a href="${escapeHtml(f.home)}">${escapeHtml(f.name)}</a>: <a href="${escapeHtml(f.path)}">${escapeHtml(f.kind)}</a></li>`,
  );
  map.set(
    '/',
    htmlPage(
      'Sample feeds of tributary demo',
      `<p>Invented sites, served from this machine.</p><ul>${list.join('')}</ul>`,
    ),
  );
  for (const feed of DEMO_FEEDS) {
    map.set(feed.path, { contentType: feed.contentType, body: feed.render(site) });
    const posts = feed.posts.map(
      (p) => `<li><a href="${escapeHtml(p.path)}">${escapeHtml(p.title)}</a></li>`,
    );
    map.set(
      feed.home,
      htmlPage(
        feed.name,
        `<p>A sample site. <a href="${escapeHtml(feed.path)}">Its feed</a>.</p><ul>${posts.join('')}</ul>`,
      ),
    );
    for (const post of feed.posts) {
      map.set(
        post.path,
        htmlPage(
          post.title,
          `<p>This page stands in for the original post on <a href="${escapeHtml(feed.home)}">${escapeHtml(feed.name)}</a>. The post is invented; tributary demo serves it from this machine.</p>`,
        ),
      );
    }
  }
  return map;
}

/** The pictures of every sample site, by path, drawn when first asked for and kept. */
function pictures(): (path: string) => Page | undefined {
  const images = new Map<string, DemoImage>(DEMO_FEEDS.flatMap((f) => f.images.map((i) => [i.path, i])));
  const drawn = new Map<string, Page>();
  return (path) => {
    const image = images.get(path);
    if (!image) return undefined;
    let page = drawn.get(path);
    if (!page) drawn.set(path, (page = { contentType: image.type, body: rasterize(image.svg, image.type) }));
    return page;
  };
}

export async function startFeedServer(now = new Date()): Promise<FeedServer> {
  let served = new Map<string, Page>();
  const picture = pictures();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    const page =
      req.method === 'GET' || req.method === 'HEAD' ? (served.get(path) ?? picture(path)) : undefined;
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': page.contentType, 'content-length': Buffer.byteLength(page.body) });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const site: DemoSite = { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, now };
  served = pages(site);
  return {
    site,
    feedUrl: (feed) => site.base + feed.path,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
