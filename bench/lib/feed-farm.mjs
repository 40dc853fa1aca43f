// N virtual feeds on one loopback server, for bench:scale's worker cycles: each a small RSS feed (ten posts
// of a few sentences, about 4 KB) made on request from its number and version, with an ETag and a
// Last-Modified that change only when the feed does, and 304 to a request that sends either back. `change`
// gives a share of the feeds a new post; requests are counted per feed and per User-Agent (each bench
// worker sends its own), so a cycle shows who fetched what, and whether any feed was fetched twice.
import { createServer } from 'node:http';

const POSTS = 10;
/** Each post is an hour newer than the one before; version v's newest post is post v + POSTS - 1. */
const HOUR = 3_600_000;
const EPOCH = Date.UTC(2025, 0, 1);
const PATH = /^\/feeds\/(\d{1,7})\.xml$/;

function postXml(feed, n) {
  const url = `https://site${feed}.example/${n}`;
  return `<item><title>Site ${feed}, post ${n}</title><link>${url}</link><guid>${url}</guid>
<pubDate>${new Date(EPOCH + n * HOUR).toUTCString()}</pubDate>
<description>&lt;p&gt;Post ${n} of site ${feed}: a few sentences of news, with &lt;a href="${url}#more"&gt;a link&lt;/a&gt; and
&lt;em&gt;some emphasis&lt;/em&gt;, as a small blog writes them. The rest of the post follows the link.&lt;/p&gt;</description></item>`;
}

function feedXml(feed, version) {
  const posts = [];
  for (let n = version + POSTS - 1; n >= version; n--) posts.push(postXml(feed, n));
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Site ${feed}</title><link>https://site${feed}.example/</link>
<description>Virtual feed ${feed}</description>
${posts.join('\n')}
</channel></rss>
`;
}

/** Starts the server on 127.0.0.1; `count` feeds at /feeds/0.xml … */
export async function startFeedFarm(count) {
  const versions = new Uint32Array(count);
  const hits = new Uint16Array(count);
  /** Per User-Agent: { requests, notModified } since the last `resetCounts`. */
  let agents = new Map();
  let changes = 0;
  let distinct = 0;
  let twice = 0;
  /** performance.now() of the first and the last request since the last reset. */
  let firstAt;
  let lastAt;
  const server = createServer((req, res) => {
    const match = PATH.exec(req.url ?? '');
    const feed = match ? Number(match[1]) : count;
    if (req.method !== 'GET' || feed >= count) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed\n');
      return;
    }
    lastAt = performance.now();
    firstAt ??= lastAt;
    hits[feed] = Math.min(hits[feed] + 1, 65_535);
    if (hits[feed] === 1) distinct++;
    else if (hits[feed] === 2) twice++;
    const agent = req.headers['user-agent'] ?? '(none)';
    const tally = agents.get(agent) ?? { requests: 0, notModified: 0 };
    agents.set(agent, tally);
    tally.requests++;
    const version = versions[feed];
    const etag = `"${feed}-${version}"`;
    const lastModified = new Date(EPOCH + (version + POSTS - 1) * HOUR).toUTCString();
    const since = Date.parse(req.headers['if-modified-since'] ?? '');
    const matched = req.headers['if-none-match']
      ? req.headers['if-none-match'].split(',').some((tag) => tag.trim() === etag)
      : since >= Date.parse(lastModified);
    if (matched) {
      tally.notModified++;
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    const body = feedXml(feed, version);
    res
      .writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        etag,
        'last-modified': lastModified,
      })
      .end(body);
  });
  // Workers keep connections open between cycles; a long keep-alive spares them reconnecting each cycle.
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    urls: Array.from({ length: count }, (_, i) => `${origin}/feeds/${i}.xml`),
    /** Gives `share` of the feeds (every 1/share-th, a different set each time) a new post; returns how many. */
    change(share) {
      if (share <= 0) return 0;
      const step = Math.max(1, Math.round(1 / share));
      const offset = changes++ % step;
      let changed = 0;
      for (let i = offset; i < count; i += step, changed++) versions[i]++;
      return changed;
    },
    resetCounts() {
      hits.fill(0);
      agents = new Map();
      distinct = 0;
      twice = 0;
      firstAt = undefined;
      lastAt = undefined;
    },
    /** Feeds requested at least once, and more than once, since the last reset, and when the first and the
     * last request came (performance.now()). */
    requested: () => ({ feeds: distinct, twice, firstAt, lastAt }),
    agents: () => agents,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
