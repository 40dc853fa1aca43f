/**
 * The planet's pages: a tag's, a category's and a month's posts (paginated like the river), the feeds of a
 * tag, a category or a source, the icon and robots.txt. Rendered by the site (site.ts) like every page.
 */
import { categoryKey, categoryPath, inCategory } from '../config/categories.js';
import type { ImageUrlMap } from '../content/image-urls.js';
import {
  type DateLabels,
  type FeedInput,
  type FeedScope,
  monthLabel,
  monthOf,
  monthStart,
  nextMonth,
  type RiverView,
  type SiteInfo,
  sourceName,
} from '../publish/index.js';
import { type RiverPage, type RiverQuery, type Source, type Store, tagKey } from '../store/index.js';
import { FAVICON, ROBOTS_TXT } from './favicon.js';
import type { Links } from './links.js';
import type { PlanetRoute, Scope, ScopedFeedFormat } from './planet-routes.js';
import type { Resource } from './site.js';
import type { TemplateName } from './templates.js';

/** What the site lends these pages. */
export interface PlanetContext {
  store: Store;
  site: SiteInfo;
  pageSize: number;
  feedSize: number;
  now: () => Date;
  labels: DateLabels;
  page(name: TemplateName, pageTitle: string, links: Links, data: object): Resource;
  titled(title: string): string;
  notFound(links: Links): Resource;
  /** A river page as the templates show it (its images routed as `images` says: the image proxy). */
  riverPageView(river: RiverPage, images?: ImageUrlMap): Promise<RiverView>;
  feedResource(format: ScopedFeedFormat, input: FeedInput): Resource;
  /** When what a listing shows last changed. */
  changed(river: RiverPage): { lastModified?: Date };
  /** The theme's `/favicon.ico`, else ours. */
  favicon?: Buffer | undefined;
}

/** A part of the river resolved: which posts, and how to name it. */
interface ScopeView {
  query: Omit<RiverQuery, 'limit' | 'before'>;
  /** `Posts tagged “Linux”`; resolved from the posts read for a tag. */
  title(river: RiverPage): string;
  sources?: Source[];
}

const ALTERNATES: [ScopedFeedFormat, string, string][] = [
  ['atom', 'application/atom+xml', 'Atom'],
  ['rss', 'application/rss+xml', 'RSS'],
  ['jsonFeed', 'application/feed+json', 'JSON Feed'],
];
/** The icon and robots.txt change only with a release: a month of caching spares each page view a request. */
const BUILT_IN_CACHE = 'public, max-age=2592000';

export function planetPages(ctx: PlanetContext) {
  const { store, site } = ctx;

  /** Which posts a scope holds, or undefined when there is no such tag, category or source. */
  async function resolve(scope: Scope): Promise<ScopeView | undefined> {
    if (scope.kind === 'tag') {
      return {
        query: { tag: scope.tag },
        // The spelling the newest post gives the tag, else its key.
        title: (river) =>
          `Posts tagged “${river.entries[0]?.item.tags?.find((t) => tagKey(t) === scope.tag)?.trim() ?? scope.tag}”`,
      };
    }
    if (scope.kind === 'category') {
      const sources = (await store.listSources()).filter((s) =>
        inCategory(s.options.categories, scope.category),
      );
      if (sources.length === 0) return undefined;
      const name = categoryName(sources, scope.category);
      return { query: { sourceIds: sources.map((s) => s.id) }, title: () => `Category: ${name}`, sources };
    }
    const source = await store.getSource(scope.id);
    return source && { query: { sourceId: source.id }, title: () => `Posts from ${sourceName(source)}` };
  }

  /** `Subscribe` links and `<link rel="alternate">`s of a scope's feeds. */
  function feedsOf(scope: Scope, title: string, links: Links) {
    const href = (format: ScopedFeedFormat) => links.scopedFeed(scope, format);
    return {
      feeds: { atom: href('atom'), rss: href('rss'), jsonFeed: href('jsonFeed') },
      alternates: ALTERNATES.map(([format, type, label]) => ({
        type,
        title: `${title} (${label})`,
        href: href(format),
      })),
    };
  }

  /** The page of a tag or a category: its posts from `route.before` on. */
  async function listing(route: PlanetRoute & { kind: 'tag' | 'category' }, links: Links): Promise<Resource> {
    const scope: Scope =
      route.kind === 'tag' ? { kind: 'tag', tag: route.tag } : { kind: 'category', category: route.category };
    const resolved = await resolve(scope);
    if (!resolved) return ctx.notFound(links);
    const river = await store.river({
      ...resolved.query,
      limit: ctx.pageSize,
      ...(route.before && { before: route.before }),
    });
    if (river.entries.length === 0 && scope.kind === 'tag') return ctx.notFound(links);
    const title = resolved.title(river);
    // Every source, not only the category's: a post names the others that carried it too.
    const view = await ctx.riverPageView(river, links.image);
    const { feeds, alternates } = feedsOf(scope, title, links);
    const pageOf = (token?: string) =>
      scope.kind === 'tag' ? links.tag(scope.tag, token) : links.category(scope.category, token);
    return {
      ...ctx.page('river', ctx.titled(title), links, {
        heading: title,
        river: view,
        scope: {
          feeds,
          ...(resolved.sources && {
            sources: resolved.sources.map((s) => ({ id: s.id, name: sourceName(s) })),
          }),
        },
        alternates,
        newest: route.before ? pageOf() : undefined,
        older: view.older && pageOf(view.older),
      }),
      ...ctx.changed(river),
    };
  }

  /** A month's posts, newest first, with links to the nearest months that have posts. */
  async function archive(route: PlanetRoute & { kind: 'archive' }, links: Links): Promise<Resource> {
    const start = monthStart(route.month, site.timeZone);
    const end = monthStart(nextMonth(route.month), site.timeZone);
    const monthEnd = { publishedMs: end, id: 0 };
    const before = route.before && route.before.publishedMs < end ? route.before : monthEnd;
    const [river, earlier, later] = await Promise.all([
      store.river({ limit: ctx.pageSize, since: start, before }),
      store.riverDatesAround(start),
      store.riverDatesAround(end),
    ]);
    if (river.entries.length === 0 && !route.before) return ctx.notFound(links);
    const link = (date: Date | undefined) => {
      const month = date && monthOf(date, ctx.labels);
      return month && { href: links.archive(month), label: monthLabel(month) };
    };
    const view = await ctx.riverPageView(river, links.image);
    const title = monthLabel(route.month);
    return {
      ...ctx.page('river', ctx.titled(title), links, {
        heading: title,
        river: view,
        months: { previous: link(earlier.before), next: link(later.since) },
        newest: route.before ? links.archive(route.month) : undefined,
        older: view.older && links.archive(route.month, view.older),
      }),
      ...ctx.changed(river),
    };
  }

  async function scopedFeed(route: PlanetRoute & { kind: 'scopedFeed' }, links: Links): Promise<Resource> {
    const resolved = await resolve(route.scope);
    if (!resolved) return ctx.notFound(links);
    const river = await store.river({ ...resolved.query, limit: ctx.feedSize });
    if (river.entries.length === 0 && route.scope.kind === 'tag') return ctx.notFound(links);
    const scope: FeedScope = {
      title: ctx.titled(resolved.title(river)),
      home: links.fromRoot.scope(route.scope),
      self: links.fromRoot.scopedFeed(route.scope, route.format),
    };
    const sources = new Map((resolved.sources ?? (await store.listSources())).map((s) => [s.id, s]));
    return ctx.feedResource(route.format, { site, entries: river.entries, sources, now: ctx.now(), scope });
  }

  /** What a source's page adds: its categories and its feeds. */
  function sourceScope(source: Source, links: Links) {
    const { feeds, alternates } = feedsOf({ kind: 'source', id: source.id }, sourceName(source), links);
    const categories = (source.options.categories ?? []).map((name) => ({ name, key: categoryKey(name) }));
    return { scope: { feeds, ...(categories.length > 0 && { categories }) }, alternates };
  }

  async function render(route: PlanetRoute, links: Links): Promise<Resource> {
    switch (route.kind) {
      case 'tag':
      case 'category':
        return listing(route, links);
      case 'archive':
        return archive(route, links);
      case 'scopedFeed':
        return scopedFeed(route, links);
      case 'favicon':
        return {
          status: 200,
          contentType: 'image/x-icon',
          body: ctx.favicon ?? FAVICON,
          // A theme's icon is edited in place: an hour, so a change shows the same day.
          cacheControl: ctx.favicon ? 'public, max-age=3600' : BUILT_IN_CACHE,
        };
      case 'robots':
        return {
          status: 200,
          contentType: 'text/plain; charset=utf-8',
          body: ROBOTS_TXT,
          cacheControl: BUILT_IN_CACHE,
        };
    }
  }

  return { render, sourceScope };
}

/** The category as the config spells it: the path of a source's category that `key` names (or leads to). */
function categoryName(sources: Source[], key: string): string {
  const depth = key.split('/').length;
  for (const source of sources) {
    for (const category of source.options.categories ?? []) {
      const segments = categoryPath(category).split('/').slice(0, depth);
      if (categoryKey(segments.join('/')) === key) return segments.join('/');
    }
  }
  return key;
}
