/**
 * Autodiscovery at subscription time: from whatever URL a user pastes to the feed(s) it stands for.
 * Order (after Miniflux's finder): YouTube channel/playlist URLs map directly; a body that is a
 * feed is the answer; an HTML page's `<link rel="alternate">` feeds; a YouTube page's channel id;
 * finally well-known paths on the site. Every request goes through fetchFeed and its guard.
 */

import { scanPage } from '../parse/html-page.js';
import { checkUrl } from './address-guard.js';
import { type FetchInternals, type FetchOptions, fetchFeedWith } from './fetch-feed.js';
import type { FetchOutcome } from './outcome.js';
import { resolvePolicy } from './policy.js';
import { carryCredentials } from './redirects.js';
import { looksLikeFeed } from './sniff.js';
import { channelFeedUrl, channelIdFromPage, isYouTube, youtubeFeedForUrl } from './youtube.js';

export interface FeedCandidate {
  url: string;
  title?: string;
  /** The advertised media type, for `link` candidates. */
  type?: string;
  /** How it was found: the URL itself, a `<link>` on the page, YouTube's URL scheme, or a probed path. */
  via: 'self' | 'link' | 'youtube' | 'well-known';
}

export interface DiscoverResult {
  /** Best first; empty when nothing was found (see `page` for why). */
  candidates: FeedCandidate[];
  /** The page fetch; absent when the URL mapped to a feed without fetching. When `via` is 'self' it holds the feed. */
  page?: FetchOutcome;
}

export type DiscoverOptions = Omit<FetchOptions, 'validators'> & {
  /** The page, already fetched from `pageUrl` (a refresh that found HTML where a feed was expected): it is
   * searched as it is, not fetched again. */
  page?: Extract<FetchOutcome, { kind: 'ok' }>;
};

/** Paths tried on the site's root when a page advertises no feed. */
export const WELL_KNOWN_PATHS = ['/feed', '/rss.xml', '/atom.xml', '/feed.xml', '/index.xml'];
/** A page advertising more feeds than this is listing comment feeds or tag feeds; the first ones matter. */
export const MAX_CANDIDATES = 10;

export function discover(pageUrl: string, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  return discoverWith(pageUrl, opts, {});
}

export async function discoverWith(
  pageUrl: string,
  opts: DiscoverOptions,
  internals: FetchInternals,
): Promise<DiscoverResult> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(pageUrl);
  } catch {}
  const mapped = parsed && youtubeFeedForUrl(parsed);
  if (mapped) return { candidates: [{ url: mapped, via: 'youtube' }] };
  // A private site's feeds need the page's user:password too (fetches and finalUrl come without them).
  const withCredentials = (url: string) => (parsed ? carryCredentials(parsed, url) : url);

  const page = opts.page ?? (await fetchFeedWith(pageUrl, opts, internals));
  if (page.kind !== 'ok') return { candidates: [], page };
  if (looksLikeFeed(page.body, page.contentType))
    return { candidates: [{ url: withCredentials(page.finalUrl), via: 'self' }], page };

  const html = decodeText(page.body, page.contentType);
  const scan = scanPage(html, page.finalUrl);
  const policy = resolvePolicy(opts.policy);
  const trusted = new Set(internals.trustedOrigins ?? []);
  const reachable = (url: string) =>
    checkUrl(url, policy.allowPrivateNetworks || trusted.has(new URL(url).origin)).ok;
  // Explicit feed types before bare application/json, which is more often an API than a feed.
  const links = [...scan.feedLinks].sort(
    (a, b) => Number(a.type === 'application/json') - Number(b.type === 'application/json'),
  );
  const candidates: FeedCandidate[] = links
    .filter((link) => reachable(link.url))
    .slice(0, MAX_CANDIDATES)
    .map((link) => ({ ...link, url: withCredentials(link.url), via: 'link' }));
  if (candidates.length > 0) return { candidates, page };

  const final = new URL(page.finalUrl);
  const channelId = isYouTube(final) ? channelIdFromPage({ ...scan, html }) : undefined;
  if (channelId) return { candidates: [{ url: channelFeedUrl(channelId), via: 'youtube' }], page };

  return { candidates: await probeWellKnown(final, opts, internals, withCredentials), page };
}

/** Fetches the well-known paths (concurrently; the shared limiter keeps it polite) and keeps those that are feeds. */
async function probeWellKnown(
  site: URL,
  opts: DiscoverOptions,
  internals: FetchInternals,
  withCredentials: (url: string) => string,
): Promise<FeedCandidate[]> {
  const probes = await Promise.all(
    WELL_KNOWN_PATHS.map((path) =>
      fetchFeedWith(withCredentials(new URL(path, site.origin).href), opts, internals),
    ),
  );
  const found = new Set<string>();
  for (const probe of probes) {
    if (probe.kind === 'ok' && looksLikeFeed(probe.body, probe.contentType))
      found.add(withCredentials(probe.finalUrl));
  }
  return [...found].map((url) => ({ url, via: 'well-known' }));
}

/** The page as text, in the charset its Content-Type names (UTF-8 when absent or unknown). */
function decodeText(body: Uint8Array, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
