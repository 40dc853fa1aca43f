/** Feeds on a slow host, and a config file that subscribes to them: what the worker tests run against. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FeedServer, type Route, rssFeed, startFeedServer } from '../ingest/feed-server.js';

export interface SlowFeeds {
  feeds: FeedServer;
  /** The config file, in `dir`. */
  config: string;
}

/** `count` feeds of `items` posts, each answered `delayMs` after it is asked for, all on 127.0.0.1;
 * `fetch` is the config's `fetch:` section, if any (YAML lines indented by two). */
export async function startSlowFeeds(
  dir: string,
  { count, items, delayMs, fetch = '' }: { count: number; items: number; delayMs: number; fetch?: string },
): Promise<SlowFeeds> {
  const routes = new Map<string, Route>(
    Array.from({ length: count }, (_, i) => [
      `/feeds/${i}.xml`,
      { body: rssFeed(`site${i}`, items), delayMs },
    ]),
  );
  const feeds = await startFeedServer(routes);
  const config = join(dir, 'tributary.yaml');
  const sources = [...routes.keys()].map((path) => `  - ${feeds.url(path)}`);
  writeFileSync(config, `${fetch && `fetch:\n${fetch}\n`}sources:\n${sources.join('\n')}\n`);
  return { feeds, config };
}
