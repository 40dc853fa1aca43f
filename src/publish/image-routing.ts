/**
 * Which of a post's images a page loads through this site instead of from their own servers
 * (`site.image_proxy`): `http` those over plain http, which the page's Content-Security-Policy would refuse
 * (browsers also flag them as mixed content on an https page); `all` every one, so that no image host learns
 * who reads the river; `off` none.
 */
export const IMAGE_PROXY_MODES = ['off', 'http', 'all'] as const;
export type ImageProxyMode = (typeof IMAGE_PROXY_MODES)[number];
export const DEFAULT_IMAGE_PROXY_MODE: ImageProxyMode = 'http';

/**
 * The image at `raw` as the URL to fetch it from, when `mode` routes it through this site; else undefined
 * (data: images, relative URLs, and URLs with a user name or password, which browsers refuse to load anyway).
 */
export function routedImage(raw: string, mode: ImageProxyMode): URL | undefined {
  if (mode === 'off') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  if (url.protocol === 'http:' || (mode === 'all' && url.protocol === 'https:')) return url;
  return undefined;
}
