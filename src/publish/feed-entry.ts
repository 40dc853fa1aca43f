/** What every output feed (Atom, RSS, JSON Feed) says about one entry, decided once. */
import type { Author, FeedItem } from '../model.js';
import { looksLikeHtml } from '../parse/text.js';
import type { Source, SourceId, StoredEntry } from '../store/index.js';
import { publicUrl } from '../url-display.js';
import { originalUrl, publishedAuthors, sourceName } from './attribution.js';
import { sourceHomePage } from './people.js';
import { bodyHtml, escapeHtml } from './post-view.js';
import { type SiteInfo, siteUrl } from './site.js';

export interface FeedInput {
  site: SiteInfo;
  /** A feed of part of the river (a tag, a category, a source); absent, the whole river's. */
  scope?: FeedScope;
  /** Newest first, as the river gives them. */
  entries: readonly StoredEntry[];
  sources: ReadonlyMap<SourceId, Source>;
  /** The feed's date when it has no entries. */
  now: Date;
}

/** What a feed of part of the river says about itself. Paths are relative to the site's root. */
export interface FeedScope {
  title: string;
  description?: string;
  /** The part's page (`tags/linux`). */
  home: string;
  /** This feed (`tags/linux/atom.xml`). */
  self: string;
}

/** What a feed says about itself, decided once for every format. `file`: the merged feed's file name. */
export interface FeedChannel {
  title: string;
  description?: string;
  home?: string;
  self?: string;
  id: string;
  /** Only the merged feeds are the hub's topics (websub/publisher.ts pings for those). */
  hub?: string;
}

export function feedChannel(input: FeedInput, file: string): FeedChannel {
  const { site, scope } = input;
  if (!scope) {
    return {
      title: site.title,
      description: site.description,
      home: siteUrl(site),
      self: siteUrl(site, file),
      id: siteId(site),
      hub: site.hub,
    };
  }
  const home = siteUrl(site, scope.home);
  return {
    title: scope.title,
    description: scope.description,
    home,
    self: siteUrl(site, scope.self),
    id: home ?? `${siteId(site)}:${scope.home}`,
  };
}

/** The feed an entry came through, as `<source>` names it. */
export interface OriginFeed {
  title: string;
  feedUrl: string;
  homePageUrl?: string;
}

export interface FeedEntry {
  item: FeedItem;
  url?: string;
  authors: Author[];
  contentHtml: string;
  published: string;
  updated: string;
  origin: OriginFeed;
}

export function feedEntry(entry: StoredEntry, sources: ReadonlyMap<SourceId, Source>): FeedEntry {
  const { item } = entry;
  const source = sources.get(entry.sourceId);
  const published = item.date_published ?? entry.firstSeenAt.toISOString();
  const homePageUrl = sourceHomePage(source);
  const url = originalUrl(item);
  return {
    item,
    ...(url && { url }),
    authors: publishedAuthors(item, source),
    contentHtml: bodyHtml(item),
    published,
    updated: item.date_modified ?? published,
    origin: {
      title: sourceName(source),
      feedUrl: publicUrl(source?.url ?? ''),
      ...(homePageUrl && { homePageUrl }),
    },
  };
}

/** When the feed last changed: the latest time the store wrote one of its entries. */
export function feedUpdated(input: FeedInput): Date {
  let latest = 0;
  for (const entry of input.entries) latest = Math.max(latest, entry.updatedAt.getTime());
  return latest > 0 ? new Date(latest) : input.now;
}

/** A stable id for a site without a URL (Atom needs one). */
export function siteId(site: SiteInfo): string {
  return site.url ?? `urn:tributary:${encodeURIComponent(site.title)}`;
}

/**
 * A plain-text title for formats whose readers guess whether a title is HTML (RSS, and in practice JSON
 * Feed: parseFeed and common readers decode titles that look like markup). A title that would be misread
 * (`Nanoseconds & <wire>`, `a &amp; b`) is published HTML-escaped so the guess decodes it back to itself;
 * every other title is published as it is.
 */
export function guessProofTitle(title: string | undefined): string | undefined {
  return title !== undefined && looksLikeHtml(title) ? escapeHtml(title) : title;
}
