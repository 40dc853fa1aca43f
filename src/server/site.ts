/**
 * The site: every route rendered from the store into a response body. The HTTP server serves these
 * (through its cache) and the static export writes them to files, so both publish the same pages.
 */

import { createHash } from 'node:crypto';
import type { ImageUrlMap } from '../content/image-urls.js';
import {
  type AlsoIn,
  activityWindow,
  dateLabels,
  type FeedInput,
  monthLabel,
  monthOf,
  postView,
  type RiverView,
  renderAtom,
  renderDigest,
  renderJsonFeed,
  renderOpml,
  renderRss,
  riverView,
  type SiteInfo,
  siteUrl,
  sourceHealth,
} from '../publish/index.js';
import type {
  RiverPage,
  SearchPage,
  Source,
  SourceCounts,
  SourceId,
  SourceListStatus,
  Store,
  StoredEntry,
} from '../store/index.js';
import type { Links } from './links.js';
import { peopleResource } from './people-page.js';
import { planetPages } from './planet-pages.js';
import { type FeedFormat, MAX_SEARCH_PAGE, type Route } from './routes.js';
import { SEARCH_BUSY, searchRefusal, searchRequest, searchSummary } from './search-page.js';
import { SOURCE_LIST_STATUSES, type SourcesListing } from './sources-query.js';
import type { TemplateName } from './templates.js';
import { pageRenderer } from './theme/render.js';
import { BUILT_IN_THEMES, type Theme } from './theme/theme.js';

export interface SiteOptions {
  store: Store;
  site: SiteInfo;
  /** Posts per river page; 30 by default. */
  pageSize?: number;
  /** Posts in each feed and the digest; 50 by default. */
  feedSize?: number;
  /** Search results per page; 20 by default. */
  searchSize?: number;
  /** The clock, for health ages and windows; tests pin it. */
  now?: () => Date;
  /** Templates, stylesheet and files (theme/load.ts checks one); the default theme by default. */
  theme?: Theme;
}

/** A rendered response, before HTTP concerns (validators, compression) are added. */
export interface Resource {
  status: number;
  contentType: string;
  body: string | Buffer;
  /** When what the body shows last changed, when known. */
  lastModified?: Date;
  cacheControl: string;
  /** A `Link` header (RFC 8288), e.g. the WebSub hub and self URL of a merged feed. */
  link?: string;
  /** Seconds, for a `Retry-After` header (a 503 under load). */
  retryAfter?: number;
}

export interface Site {
  render(route: Route, links: Links): Promise<Resource>;
  notFound(links: Links): Resource;
  /** The page shown when rendering failed (the store is down, a bug). */
  failure(links: Links): Resource;
  /** A search refused because too many are running (SearchBusyError): one page whatever the query. */
  searchBusy(links: Links, retryAfterSeconds: number): Resource;
  /** Changes whenever the stylesheet does: busts caches of `/style.css`. */
  readonly styleVersion: string;
  readonly theme: Theme;
  /** Where a theme file (`logo.png`) is served and exported from the root; undefined for one the theme lacks. */
  themeFile(file: string): string | undefined;
}

type SearchRoute = Extract<Route, { kind: 'search' }>;

const HTML = 'text/html; charset=utf-8';
const CONTENT_TYPES: Record<FeedFormat, string> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  jsonFeed: 'application/feed+json; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  digest: 'text/plain; charset=utf-8',
};
/** Pages and feeds change as feeds are fetched: a minute of caching keeps readers close to live. */
const PAGE_CACHE = 'public, max-age=60';
/** The sources page is what an operator watches: replicas (whose caches keep a page no longer than its
 * max-age) agree within ten seconds. */
const SOURCES_CACHE = 'public, max-age=10';
const STYLE_CACHE = 'public, max-age=86400';
/** A theme file's name changes with its content (assets.ts): cached for a year, never revalidated. */
const THEME_FILE_CACHE = 'public, max-age=31536000, immutable';
const STYLE_LOADED = new Date();

export function createSite(options: SiteOptions): Site {
  const { store, site } = options;
  const pageSize = options.pageSize ?? 30;
  const feedSize = options.feedSize ?? 50;
  const searchSize = options.searchSize ?? 20;
  const now = options.now ?? (() => new Date());
  const labels = dateLabels(site.timeZone);
  const theme = options.theme ?? BUILT_IN_THEMES.default;
  const renderPage = pageRenderer(theme);
  const themeFiles = new Map([...theme.assets.values()].map((asset) => [asset.path, asset]));

  const page = (
    name: TemplateName,
    pageTitle: string,
    links: Links,
    data: object,
    status = 200,
  ): Resource => ({
    status,
    contentType: HTML,
    body: renderPage(name, { site, links, pageTitle, ...data }),
    cacheControl: status === 200 ? PAGE_CACHE : 'no-cache',
  });
  const titled = (title: string) => `${title} — ${site.title}`;

  /** The sources of these entries (a page of them), by id: never the whole list, which may be 100,000 long. */
  async function sourcesOf(entries: readonly StoredEntry[], alsoIn?: AlsoIn): Promise<Map<SourceId, Source>> {
    const ids = new Set(entries.map((e) => e.sourceId));
    for (const others of alsoIn?.values() ?? []) for (const id of others) ids.add(id);
    const sources = await store.getSources([...ids]);
    return new Map(sources.map((s) => [s.id, s]));
  }

  /** Every source, by id: only to resolve a search's `source:` filters by name. */
  async function sourcesById(): Promise<Map<SourceId, Source>> {
    return new Map((await store.listSources()).map((s) => [s.id, s]));
  }

  /** Health views of these sources, their activity read for them alone (a page of cards, or one source);
   * `images`: where the page loads their faces from. */
  async function health(sources: readonly Source[], images?: ImageUrlMap) {
    const at = now();
    const { logSince, postsSince } = activityWindow(at);
    const activity = await store.sourceActivity(
      sources.map((s) => s.id),
      logSince,
      postsSince,
    );
    return sources.map((s) =>
      sourceHealth(s, activity.get(s.id)!, at, labels, site.publicHealth !== false, images),
    );
  }

  async function sourcesPage(listing: SourcesListing, links: Links): Promise<Resource> {
    const [counts, list] = await Promise.all([
      store.sourceCounts(),
      store.sourcesPage({
        limit: listing.size,
        ...(listing.status && { status: listing.status }),
        ...(listing.search && { search: listing.search }),
        ...(listing.after && { after: listing.after }),
      }),
    ]);
    const unfiltered = { size: listing.size };
    return {
      ...page('sources', titled('Sources'), links, {
        summary: sourcesSummary(
          counts,
          (status) => links.sourcesFilter && links.sourcesPage({ ...unfiltered, status }),
        ),
        statuses: SOURCE_LIST_STATUSES,
        listing,
        cards: await health(list.sources, links.image),
        first: listing.after && links.sourcesPage({ ...listing, after: undefined }),
        next: list.next && links.sourcesPage({ ...listing, after: list.next }),
      }),
      ...(counts.lastChange && { lastModified: counts.lastChange }),
      cacheControl: SOURCES_CACHE,
    };
  }

  /** A river page as the templates show it, with each post's source and the other sources that carried it. */
  async function riverPageView(river: RiverPage, images?: ImageUrlMap): Promise<RiverView> {
    const alsoIn = await store.entrySources(river.entries.map((e) => e.id));
    return riverView(river, await sourcesOf(river.entries, alsoIn), labels, alsoIn, images);
  }

  function feedResource(format: Exclude<FeedFormat, 'opml'>, input: FeedInput): Resource {
    const render = { atom: renderAtom, rss: renderRss, jsonFeed: renderJsonFeed, digest: renderDigest }[
      format
    ];
    return {
      status: 200,
      contentType: CONTENT_TYPES[format],
      body: render(input),
      ...lastModified(input.entries.map(entryChanged)),
      cacheControl: PAGE_CACHE,
    };
  }

  const planet = planetPages({
    store,
    site,
    pageSize,
    feedSize,
    now,
    labels,
    page,
    titled,
    notFound,
    riverPageView,
    feedResource,
    changed: (river) => lastModified(river.entries.map(entryChanged)),
    favicon: theme.favicon,
  });

  function notFound(links: Links): Resource {
    const message =
      'There is no page at this address. It may have been a post that is no longer in the river.';
    return page('message', titled('Not found'), links, { heading: 'Not found', message }, 404);
  }

  function failure(links: Links): Resource {
    const message = 'Something went wrong while building this page. Please try again in a minute.';
    return {
      ...page('message', titled('Error'), links, { heading: 'Something went wrong', message }, 500),
      cacheControl: 'no-store',
    };
  }

  function searchBusy(links: Links, retryAfterSeconds: number): Resource {
    return {
      ...page('search', titled('Search'), links, { query: '', problem: SEARCH_BUSY }, 503),
      cacheControl: 'no-store',
      retryAfter: retryAfterSeconds,
    };
  }

  async function feed(format: FeedFormat): Promise<Resource> {
    if (format === 'opml') {
      const sources = await store.listSources();
      const changed = lastModified(sources.map(sourceChanged));
      return {
        status: 200,
        contentType: CONTENT_TYPES.opml,
        // Dated by the sources, not the clock: the same blogroll keeps the same bytes and ETag.
        body: renderOpml(site, sources, changed.lastModified ?? now()),
        ...changed,
        cacheControl: PAGE_CACHE,
      };
    }
    const river = await store.river({ limit: feedSize });
    const sources = await sourcesOf(river.entries);
    return {
      ...feedResource(format, { site, entries: river.entries, sources, now: now() }),
      ...(site.hub && HUB_FEEDS[format] && { link: hubLinks(site.hub, siteUrl(site, HUB_FEEDS[format])) }),
    };
  }

  async function search({ query, page: pageNumber }: SearchRoute, links: Links): Promise<Resource> {
    const title = titled(query ? `Search: ${query}` : 'Search');
    if (!query) return page('search', title, links, { query });
    let found: SearchPage;
    try {
      // Sources are read before the search only to resolve source: filters: a search refused under load
      // costs the main thread next to nothing.
      found = await store.search(await searchRequest(query, sourcesById, pageNumber, searchSize));
    } catch (error) {
      const refusal = searchRefusal(error);
      if (!refusal) throw error;
      const resource = page('search', title, links, { query, problem: refusal.message }, refusal.status);
      // A search out of time may succeed later: never cached, here or downstream.
      if (refusal.status === 503) resource.cacheControl = 'no-store';
      return resource;
    }
    const sources = await sourcesOf(found.hits.map((hit) => hit.entry));
    const hits = found.hits.map((hit) => ({
      ...hit,
      post: postView(hit.entry, sources, labels, undefined, links.image),
    }));
    const at = (n: number) =>
      links.search && `${links.search}?q=${encodeURIComponent(query)}${n > 1 ? `&page=${n}` : ''}`;
    return {
      ...page('search', title, links, {
        query,
        hits,
        summary: searchSummary(query, pageNumber, searchSize, hits.length, found.more),
        newer: pageNumber > 1 ? at(pageNumber - 1) : undefined,
        older: found.more && pageNumber < MAX_SEARCH_PAGE ? at(pageNumber + 1) : undefined,
      }),
      ...lastModified(found.hits.map((hit) => entryChanged(hit.entry))),
    };
  }

  async function render(route: Route, links: Links): Promise<Resource> {
    switch (route.kind) {
      case 'river': {
        const river = await store.river({ limit: pageSize, ...(route.before && { before: route.before }) });
        const view = await riverPageView(river, links.image);
        // The river's end leads on to the archive of the month its last post is in.
        const last = river.entries.at(-1);
        const month = last && monthOf(new Date(last.item.date_published!), labels);
        const resource = page('river', route.before ? titled('Older posts') : site.title, links, {
          heading: route.before ? 'Older posts' : 'Latest posts',
          intro: route.before ? undefined : site.description,
          river: view,
          newest: route.before ? links.home : undefined,
          older: view.older && links.riverPage(view.older),
          archive: month && { href: links.archive(month), label: monthLabel(month) },
        });
        return { ...resource, ...lastModified(river.entries.map(entryChanged)) };
      }
      case 'sources':
        return sourcesPage(route.listing, links);
      case 'source': {
        const source = await store.getSource(route.id);
        if (!source) return notFound(links);
        const [[view], river] = await Promise.all([
          health([source], links.image),
          store.river({
            sourceId: source.id,
            limit: pageSize,
            ...(route.before && { before: route.before }),
          }),
        ]);
        const posts = await riverPageView(river, links.image);
        const resource = page('source', titled(view!.name), links, {
          health: view,
          river: posts,
          ...planet.sourceScope(source, links),
          newest: route.before ? links.source(source.id) : undefined,
          older: posts.older && links.source(source.id, posts.older),
        });
        return { ...resource, ...lastModified([sourceChanged(source), ...river.entries.map(entryChanged)]) };
      }
      case 'entry': {
        const entry = await store.getEntry(route.id);
        const source = entry && (await store.getSource(entry.sourceId));
        if (!entry || !source) return notFound(links);
        const alsoIn = await store.entrySources([entry.id]);
        const sources = await sourcesOf([entry], alsoIn);
        const post = postView(entry, sources, labels, alsoIn, links.image);
        const resource = page('entry', titled(post.title ?? 'Untitled post'), links, { post });
        return { ...resource, ...lastModified([entryChanged(entry)]) };
      }
      case 'search':
        return search(route, links);
      case 'feed':
        return feed(route.format);
      case 'people':
        return peopleResource({ store, page, titled }, route.after, links);
      case 'style':
        return {
          status: 200,
          contentType: 'text/css; charset=utf-8',
          body: theme.style,
          lastModified: STYLE_LOADED,
          cacheControl: STYLE_CACHE,
        };
      case 'themeAsset': {
        const asset = themeFiles.get(route.path);
        if (!asset) return notFound(links);
        return {
          status: 200,
          contentType: asset.contentType,
          body: asset.body,
          cacheControl: THEME_FILE_CACHE,
        };
      }
      default:
        return planet.render(route, links);
    }
  }

  return {
    render,
    notFound,
    failure,
    searchBusy,
    styleVersion: createHash('sha256').update(theme.style).digest('base64url').slice(0, 10),
    theme,
    themeFile: (file) => theme.assets.get(file)?.path,
  };
}

/** The counts atop the sources page: every status, retired ones apart, each linking to its cards. */
function sourcesSummary(counts: SourceCounts, href: (status: SourceListStatus) => string | undefined) {
  const count = (status: SourceListStatus) =>
    status === 'retired'
      ? counts.byStatus.reduce((n, c) => n + c.retired, 0)
      : counts.byStatus.filter((c) => c.status === status).reduce((n, c) => n + c.count - c.retired, 0);
  const rows = SOURCE_LIST_STATUSES.map((status) => ({ status, count: count(status), href: href(status) }));
  return {
    following: rows.filter((r) => r.status !== 'retired').reduce((n, r) => n + r.count, 0),
    counts: rows,
  };
}

/** The merged feeds a WebSub hub carries, by file name. */
const HUB_FEEDS: Partial<Record<FeedFormat, string>> = {
  atom: 'atom.xml',
  rss: 'rss.xml',
  jsonFeed: 'feed.json',
};

/** WebSub §4 discovery in the `Link` header: the hub, and the topic (self) when the site has a public URL. */
function hubLinks(hub: string, self: string | undefined): string {
  return self ? `<${hub}>; rel="hub", <${self}>; rel="self"` : `<${hub}>; rel="hub"`;
}

function entryChanged(entry: StoredEntry): number {
  return entry.updatedAt.getTime();
}

function sourceChanged(source: Source): number {
  return Math.max(source.createdAt.getTime(), source.lastFetchAt?.getTime() ?? 0);
}

/** `{ lastModified }` for the latest of `times`, or nothing when there are none. */
function lastModified(times: number[]): { lastModified?: Date } {
  const latest = Math.max(0, ...times);
  return latest > 0 ? { lastModified: new Date(latest) } : {};
}
