/** The publisher's side: after a refresh pass stored new entries, tell our hub the merged feeds changed. */
import type { Logger } from 'pino';
import type { FetchPolicy } from '../fetch/index.js';
import { postToHub } from './hub-request.js';
import type { WebSubOptions } from './subscriber.js';

/** The merged feeds a hub is told about, relative to the site's public URL. */
export const PUBLISHED_FEEDS = ['atom.xml', 'rss.xml', 'feed.json'] as const;

/** The merged feeds' public URLs, or none when the site has no public URL (a hub could not fetch them). */
export function publishedTopics(siteUrl: string | undefined): string[] {
  if (!siteUrl) return [];
  const base = siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`;
  return PUBLISHED_FEEDS.map((path) => new URL(path, base).href);
}

/**
 * Pings `websub.hub` (`hub.mode=publish`, one `hub.url` per merged feed) when `newEntries` > 0. Never throws:
 * a hub that fails is logged; readers still poll the feeds.
 */
export async function announceNewEntries(
  deps: { websub?: WebSubOptions; fetchPolicy: Partial<FetchPolicy>; log: Logger },
  newEntries: number,
): Promise<void> {
  const hub = deps.websub?.hub;
  const topics = deps.websub?.topics ?? [];
  if (!hub || newEntries === 0 || topics.length === 0) return;
  for (const topic of topics) {
    try {
      await postToHub(hub, { 'hub.mode': 'publish', 'hub.url': topic }, deps.fetchPolicy);
    } catch (e) {
      deps.log.warn({ hub, topic, error: (e as Error).message }, 'websub: publish ping failed');
      return;
    }
  }
  deps.log.info({ hub, topics: topics.length, newEntries }, 'websub: hub pinged');
}
