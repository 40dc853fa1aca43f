/**
 * A hub's push (verified by websub/callback.ts), ingested as a fetch of the feed would be (ingest-body.ts)
 * and committed through the same checkpoint, leaving the source's validators and poll schedule as they
 * were: polling goes on as a safety net.
 */
import { type CommitResult, pollUrl, type Source } from '../store/index.js';
import { feedFacts } from './feed-facts.js';
import { ingestBody } from './ingest-body.js';
import type { IngestDeps } from './refresh-source.js';

export interface Pushed {
  body: Uint8Array;
  contentType?: string;
}

/** Stores what `pushed` brings for `source`; throws a FeedError when the body is not a readable feed. */
export async function ingestPush(deps: IngestDeps, source: Source, pushed: Pushed): Promise<CommitResult> {
  const fetchedAt = deps.now();
  const body = { bytes: pushed.body, url: pollUrl(source), contentType: pushed.contentType };
  const { feed, rows } = await ingestBody(deps, source, body, fetchedAt.getTime());
  return deps.store.commitFetch(source.id, {
    outcome: 'ok',
    fetchedAt,
    rows,
    feed: feedFacts(feed),
    // An 'ok' checkpoint replaces validators and schedule: hand back the source's own, untouched.
    validators: { etag: source.etag, lastModified: source.lastModified },
    nextFetchAt: source.nextFetchAt,
    intervalSeconds: source.intervalSeconds,
    bytes: pushed.body.length,
  });
}
