/** What every sample feed of `tributary demo` is: invented posts, rendered as one real-world feed dialect. */
import { xmlEscape } from '../publish/xml.js';
import type { RasterType } from './art.js';

/** Where the sample feeds are served and the moment their dates count back from. */
export interface DemoSite {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  base: string;
  now: Date;
}

export interface DemoPost {
  title: string;
  /** The author the feed names for this post; absent when the feed names none (the source's author applies). */
  author?: string;
  /** Path of the post's page on the demo server (its "original"). */
  path: string;
  /** Published this many hours before `DemoSite.now`, so day headings look like a live river. */
  hoursAgo: number;
}

export interface DemoFeed {
  /** The source's display name. */
  name: string;
  /** Attribution for posts that name no author (configured on the source, as `author:` in a config file). */
  author?: string;
  /** What kind of feed this stands for, for the demo's summary. */
  kind: string;
  /** Path (and query) of the feed on the demo server. */
  path: string;
  /** Path of the site's home page. */
  home: string;
  contentType: string;
  posts: readonly DemoPost[];
  /** The pictures its posts show, served by the demo's feed server beside the feed. */
  images: readonly DemoImage[];
  /** The feed document. */
  render(site: DemoSite): string;
}

/** A picture on a sample site: drawn as SVG (art.ts), served as PNG or JPEG at `path`. */
export interface DemoImage {
  path: string;
  type: RasterType;
  svg: string;
}

export const url = (site: DemoSite, path: string): string => site.base + path;

export function publishedAt(site: DemoSite, hoursAgo: number): Date {
  const at = new Date(site.now.getTime() - hoursAgo * 3_600_000);
  at.setUTCSeconds(0, 0);
  return at;
}

/** RFC 822 date, as RSS wants it. */
export const rssDate = (site: DemoSite, hoursAgo: number): string =>
  publishedAt(site, hoursAgo).toUTCString().replace('GMT', '+0000');

/** RFC 3339 date, as Atom wants it. */
export const atomDate = (site: DemoSite, hoursAgo: number): string =>
  publishedAt(site, hoursAgo).toISOString().replace('.000Z', '+00:00');

/** HTML carried in a CDATA section, as WordPress writes it. */
export const cdata = (html: string): string => `<![CDATA[${html.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

export { xmlEscape };
