/**
 * The site as `run`, `serve` and `build` publish it. Feeds need absolute links (an RSS channel's `<link>`, an
 * Atom feed's self link and id, JSON Feed's `home_page_url`/`feed_url`), so a config without `site.url` gets
 * the address the site is served at, and one warning saying so.
 */
import type { Settings } from '../config/config.js';
import type { SiteInfo } from '../publish/index.js';

/** `settings.site` with the WebSub hub its merged feeds advertise; `url` as configured (maybe absent). */
export function siteInfo(settings: Settings): SiteInfo {
  const { theme: _theme, ...site } = settings.site;
  return { ...site, hub: settings.websub?.hub };
}

/** Gives `site` the URL `http://HOST:PORT/` when the config has none, warning once. */
export function fallBackToListenUrl(
  site: SiteInfo,
  host: string,
  port: number,
  warn: (message: string) => void,
): void {
  if (site.url) return;
  // A wildcard address is no place to send readers; the machine's own name is the best guess.
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  site.url = `http://${name.includes(':') ? `[${name}]` : name}:${port}/`;
  warn(
    `site.url is not set: feeds and the blogroll link to ${site.url}, where this site is served; set site.url ` +
      'in the config to the address readers use',
  );
}
