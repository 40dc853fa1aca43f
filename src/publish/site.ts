/** What a published site says about itself; feeds and pages read it. */
export interface SiteInfo {
  title: string;
  /**
   * The public URL of the site (`https://planet.example.org/`). Feeds need it for absolute self and home
   * links; without it they carry only the entries' own links.
   */
  url?: string;
  description?: string;
  /** IANA time zone for day headings and times on pages; UTC by default. */
  timeZone?: string;
  /** A WebSub hub the merged feeds advertise (`rel="hub"`), so readers get pushes instead of polling. */
  hub?: string;
  /** false: `/sources` shows no error text and no fetch timings (`site.public_health`); true by default. */
  publicHealth?: boolean;
}

/** `path` made absolute against the site's URL, or undefined when the site has no URL. */
export function siteUrl(site: SiteInfo, path = ''): string | undefined {
  if (!site.url) return undefined;
  try {
    return new URL(path, site.url.endsWith('/') ? site.url : `${site.url}/`).href;
  } catch {
    return undefined;
  }
}
