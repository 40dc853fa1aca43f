/** `tributary parse <file|url|->`: one feed → JSON Feed (or the text digest) on stdout, as it would be stored. */
import { readFileSync } from 'node:fs';
import { fetchFeed } from '../../fetch/index.js';
import { prepareItems } from '../../ingest/prepare-items.js';
import type { ParseOptions } from '../../model.js';
import { parseFeed } from '../../parse/index.js';
import { renderFeedAsText } from '../../publish/digest.js';
import { fetchPolicyFrom, type GlobalOptions, settingsFrom } from '../app.js';

export async function parseCommand(
  target: string,
  opts: GlobalOptions & { text?: boolean; raw?: boolean },
): Promise<number> {
  const { bytes, options } = await readInput(target, opts);
  const parsed = parseFeed(bytes, options);
  // What the river would store: content sanitized as ingest does (rules belong to a source, so none apply);
  // --raw shows the parser's own output.
  const feed = opts.raw ? parsed : { ...parsed, items: prepareItems(parsed.items, options.url ?? '') };
  process.stdout.write(
    opts.text ? renderFeedAsText(feed, options.url) : `${JSON.stringify(feed, null, 2)}\n`,
  );
  return 0;
}

async function readInput(
  target: string,
  opts: GlobalOptions,
): Promise<{ bytes: Uint8Array; options: ParseOptions }> {
  if (/^https?:\/\//i.test(target)) {
    const outcome = await fetchFeed(target, { policy: fetchPolicyFrom(settingsFrom(opts)) });
    if (outcome.kind !== 'ok')
      throw new Error(`cannot fetch ${target}: ${'reason' in outcome ? outcome.reason : outcome.kind}`);
    return {
      bytes: outcome.body,
      options: { url: outcome.finalUrl, contentType: outcome.contentType, headers: outcome.headers },
    };
  }
  const bytes = new Uint8Array(readFileSync(target === '-' ? 0 : target));
  // A local file has no web address: relative links stay relative.
  return { bytes, options: {} };
}
