/** What a fetched feed says of itself that its source keeps (`FetchCheckpoint.feed`): title, home page, face. */
import type { JsonFeed } from '../model.js';
import { httpUrl } from '../publish/urls.js';
import type { FetchCheckpoint } from '../store/index.js';

export function feedFacts(feed: JsonFeed): NonNullable<FetchCheckpoint['feed']> {
  const face = feedFace(feed);
  return { title: feed.title || undefined, homePageUrl: feed.home_page_url, ...(face && { face }) };
}

/**
 * The face a feed gives itself, the default of its source's `face:`: its author's avatar (JSON Feed
 * `authors[].avatar`) is a person's face, as a planet shows one; else its icon (JSON Feed `icon`, Atom
 * `<icon>` or `<logo>`, RSS `<image>`, the iTunes image: the parsers put each in `icon`), else its favicon.
 * Only http(s) URLs: a `data:` or relative one is not an image a page of ours loads.
 */
export function feedFace(feed: Pick<JsonFeed, 'authors' | 'icon' | 'favicon'>): string | undefined {
  for (const candidate of [...(feed.authors ?? []).map((a) => a.avatar), feed.icon, feed.favicon]) {
    const url = httpUrl(candidate);
    if (url) return url;
  }
  return undefined;
}
