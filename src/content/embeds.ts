/** Video embeds that sanitized HTML may keep as `<iframe>`: YouTube (via its no-cookie host) and Vimeo. */

const YOUTUBE_HOSTS = new Set(['www.youtube.com', 'youtube.com', 'm.youtube.com']);
const NOCOOKIE_HOSTS = new Set(['www.youtube-nocookie.com', 'youtube-nocookie.com']);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{6,64}$/;
/** Player parameters worth keeping: where playback starts/ends and which playlist (for /embed/videoseries). */
const YOUTUBE_PARAMS = ['start', 'end', 'list'];
const VIMEO_PATH = /^\/video\/\d+\/?$/;

/**
 * The iframe `src` to keep for an embed, or undefined when the embed is not an allowed video player.
 * YouTube embeds (www.youtube.com, youtube.com, youtu.be, youtube-nocookie) become
 * `https://www.youtube-nocookie.com/embed/<id>`; player.vimeo.com/video/<id> is kept. Only https sources are
 * accepted (`//host/…` is read as https); `base` resolves relative sources (which then rarely qualify).
 */
export function embedSrc(src: string, base: URL | undefined): string | undefined {
  let url: URL;
  try {
    const trimmed = src.trim();
    url = trimmed.startsWith('//') ? new URL(`https:${trimmed}`) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return undefined;
  const host = url.hostname;
  if (host === 'player.vimeo.com') return VIMEO_PATH.test(url.pathname) ? url.href : undefined;
  let id: string | undefined;
  if (YOUTUBE_HOSTS.has(host) || NOCOOKIE_HOSTS.has(host))
    id = /^\/embed\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  else if (host === 'youtu.be') id = /^\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  if (!id || !YOUTUBE_ID.test(id)) return undefined;
  const params = new URLSearchParams();
  for (const name of YOUTUBE_PARAMS) {
    const value = url.searchParams.get(name);
    if (value) params.set(name, value);
  }
  const query = params.size ? `?${params}` : '';
  return `https://www.youtube-nocookie.com/embed/${id}${query}`;
}
