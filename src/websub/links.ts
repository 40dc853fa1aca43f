/** The hubs and self URL a fetched feed advertises, in its body (`feed.hubs`, rel=self) and its `Link` headers. */
import type { JsonFeed } from '../model.js';

export interface Advertised {
  hubs: string[];
  /** The topic to subscribe to: the feed's self URL, else the URL it was fetched from. */
  topic: string;
}

/**
 * WebSub §4: the Link header wins over the body when both name a self URL; hubs from both are candidates.
 * Relative references resolve against the fetched URL; anything that is not http(s) is dropped.
 */
export function advertised(feed: JsonFeed, headers: Record<string, string>, fetchedUrl: string): Advertised {
  const header = parseLinkHeader(headers.link ?? '', fetchedUrl);
  const hubs = [...header.filter((l) => l.rels.includes('hub')).map((l) => l.url)];
  for (const hub of feed.hubs ?? []) {
    const url = absolute(hub.url, fetchedUrl);
    if (url) hubs.push(url);
  }
  const selfFromHeader = header.find((l) => l.rels.includes('self'))?.url;
  const selfFromBody = feed.feed_url ? absolute(feed.feed_url, fetchedUrl) : undefined;
  return { hubs: [...new Set(hubs)], topic: selfFromHeader ?? selfFromBody ?? fetchedUrl };
}

/** RFC 8288 links: `<url>; rel="a b", <url2>; rel=c`. Only the target and rel are read. */
export function parseLinkHeader(value: string, base: string): { url: string; rels: string[] }[] {
  const out: { url: string; rels: string[] }[] = [];
  // Bounded by the header's length: each match consumes at least "<>".
  for (const m of value.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(m[2]!);
    const url = absolute(m[1]!.trim(), base);
    if (rel && url) out.push({ url, rels: (rel[1] ?? rel[2]!).toLowerCase().split(/\s+/) });
  }
  return out;
}

function absolute(ref: string, base: string): string | undefined {
  try {
    const url = new URL(ref, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
