/**
 * 2,000 small generated RSS feeds for the scale-out test, and the river they must make. Three kinds of
 * article:
 * - each site's own posts (3–5 per feed, every date distinct, half with a dc:creator);
 * - "aggregated" copies: every tenth feed also carries post 0 of one of sites 0–99 (each carried by two
 *   aggregators) under another title and date. The copy must never reach the river: the article belongs
 *   to the site that hosts it, whichever worker commits first;
 * - wire stories on a host no source publishes, each carried word for word by two feeds: stored once.
 */
import type { Route } from '../ingest/feed-server.js';

export const SOURCES = 2_000;
/** The hour the test started in: every post is within days of it, so none is a new source's backlog. */
const BASE_MS = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const AGGREGATOR_EVERY = 10;
const AGGREGATED_HOSTS = 100;
const WIRE_EVERY = 25;
const WIRE_STORIES = 40;

/** One article as a feed carries it. */
interface Article {
  url: string;
  title: string;
  publishedMs: number;
  author?: string;
}

/** One river entry as compared between runs: what a reader sees of it. */
export interface RiverLine {
  url: string;
  title: string;
  publishedMs: number;
  /** The attribution: the item's author, else the name of the source it belongs to. */
  author: string;
}

export const feedPath = (i: number) => `/feeds/${i}.xml`;
const siteUrl = (i: number) => `https://site${i}.example/`;
/** The feed's title, which is the source's name (the config gives none). */
const siteName = (i: number) => `Site ${i}`;

function ownPosts(i: number): Article[] {
  return Array.from({ length: 3 + (i % 3) }, (_, k) => ({
    url: `${siteUrl(i)}posts/${k}`,
    title: `${siteName(i)} post ${k}`,
    // Distinct for every (site, post), newest first by post number then site: the river order is total.
    publishedMs: BASE_MS - (k * SOURCES + i + 1) * MINUTE_MS,
    ...(i % 2 === 0 && { author: `Author ${i}` }),
  }));
}

function wireStory(n: number): Article {
  // Half-minute offsets keep wire dates apart from every own post's.
  return {
    url: `https://wire.example/story/${n}`,
    title: `Wire story ${n}`,
    publishedMs: BASE_MS - n * 3 * MINUTE_MS - 30_000,
    author: 'Wire desk',
  };
}

/** Everything feed `i` carries, in feed order. */
function feedArticles(i: number): Article[] {
  const articles = ownPosts(i);
  if (i % AGGREGATOR_EVERY === AGGREGATOR_EVERY - 1) {
    const host = Math.floor(i / AGGREGATOR_EVERY) % AGGREGATED_HOSTS;
    const original = ownPosts(host)[0]!;
    articles.push({
      url: original.url,
      title: `${original.title} (via ${siteName(i)})`,
      publishedMs: BASE_MS - 30 * DAY_MS - i * MINUTE_MS,
    });
  }
  if (i % WIRE_EVERY === 7) articles.push(wireStory(Math.floor(i / WIRE_EVERY) % WIRE_STORIES));
  return articles;
}

function rss(i: number): string {
  const items = feedArticles(i).map(
    (a) => `<item><title>${a.title}</title><link>${a.url}</link><guid>${a.url}</guid>
<pubDate>${new Date(a.publishedMs).toUTCString()}</pubDate>${a.author ? `<dc:creator>${a.author}</dc:creator>` : ''}
<description>&lt;p&gt;${a.title}.&lt;/p&gt;</description></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${siteName(i)}</title>
<link>${siteUrl(i)}</link><description>Generated feed ${i}</description>
${items.join('\n')}
</channel></rss>`;
}

/** The feed server's routes: one RSS feed per source. */
export function feedRoutes(): Map<string, Route> {
  return new Map(Array.from({ length: SOURCES }, (_, i) => [feedPath(i), { body: rss(i) }]));
}

/** The river the feeds make: every site's own posts and each wire story once, newest first. */
export function expectedRiver(): RiverLine[] {
  const lines: RiverLine[] = [];
  for (let i = 0; i < SOURCES; i++) {
    for (const a of ownPosts(i)) lines.push({ ...a, author: a.author ?? siteName(i) });
  }
  for (let n = 0; n < WIRE_STORIES; n++) {
    const a = wireStory(n);
    lines.push({ ...a, author: a.author! });
  }
  return lines.sort((a, b) => b.publishedMs - a.publishedMs);
}
