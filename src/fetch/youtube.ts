/** YouTube: channel and playlist URLs map to their Atom feeds; handle pages (/@name) name their channel. */
const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);
const CHANNEL_ID = /^UC[\w-]{22}$/;
const CHANNEL_PATH = /^\/channel\/(UC[\w-]{22})(?:\/|$)/;
/** `"externalId"` is the page's own channel; `"channelId"` also appears, usually first for it too. */
const CHANNEL_ID_IN_SCRIPT = /"(?:externalId|channelId)"\s*:\s*"(UC[\w-]{22})"/;

export const isYouTube = (url: URL): boolean => YOUTUBE_HOSTS.has(url.hostname);

export const channelFeedUrl = (channelId: string): string =>
  `https://www.youtube.com/feeds/videos.xml?channel_id=${channelId}`;

/** The feed for a channel or playlist URL, known without fetching anything; undefined for other URLs. */
export function youtubeFeedForUrl(url: URL): string | undefined {
  if (!isYouTube(url)) return undefined;
  const channel = CHANNEL_PATH.exec(url.pathname)?.[1];
  if (channel) return channelFeedUrl(channel);
  const playlist = url.pathname === '/playlist' ? url.searchParams.get('list') : null;
  if (playlist && /^[\w-]+$/.test(playlist))
    return `https://www.youtube.com/feeds/videos.xml?playlist_id=${playlist}`;
  return undefined;
}

/**
 * The channel id a YouTube page names for itself: `<meta itemprop="channelId">`, then a canonical
 * `/channel/UC…` link, then the page's JSON (`"channelId":"UC…"`).
 */
export function channelIdFromPage(page: {
  metaChannelId?: string;
  canonical?: string;
  html: string;
}): string | undefined {
  if (page.metaChannelId && CHANNEL_ID.test(page.metaChannelId)) return page.metaChannelId;
  if (page.canonical) {
    try {
      const canonical = new URL(page.canonical);
      const id = isYouTube(canonical) ? CHANNEL_PATH.exec(canonical.pathname)?.[1] : undefined;
      if (id) return id;
    } catch {}
  }
  return CHANNEL_ID_IN_SCRIPT.exec(page.html)?.[1];
}
