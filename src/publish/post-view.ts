/** One post as every page shows it: the view model the templates render (values only, no markup decisions). */
import { type ImageUrlMap, mapImageUrls } from '../content/image-urls.js';
import type { FeedItem } from '../model.js';
import { type EntryId, type Source, type SourceId, type StoredEntry, tagKey } from '../store/index.js';
import { attributionAuthor, originalUrl, sourceName } from './attribution.js';
import type { DateLabels } from './dates.js';
import { type FaceView, type PersonView, sourceFace, sourceHomePage, sourcePerson } from './people.js';
import { httpUrl, isHttps } from './urls.js';

export interface MediaView {
  /** `audio`/`video` get a player; `link` (other types, or media the CSP would block: plain http) a link. */
  kind: 'audio' | 'video' | 'link';
  url: string;
  mimeType?: string;
  label: string;
}

export interface YouTubeView {
  id: string;
  watchUrl: string;
  embedUrl: string;
  thumbnailUrl: string;
}

export interface PostView {
  id: number;
  title?: string;
  /** The original post, when it has an http(s) link. */
  url?: string;
  /** Who the attribution line names (see attribution.ts). */
  author: string;
  /** Where it came from: `face` (ready for `src=`) and `faceFile` as people.ts makes them; `person` when the
   * config groups the source under one. */
  source: { id: SourceId; name: string; homePageUrl?: string; person?: PersonView } & FaceView;
  /** RFC 3339, for `<time datetime>`. */
  published: string;
  publishedLabel: string;
  /**
   * The post's body as HTML, ALREADY SANITIZED at ingest (content stage): the one value templates insert
   * unescaped. Plain-text bodies are escaped into paragraphs here; image URLs are mapped (`images`).
   */
  contentHtml: string;
  media: MediaView[];
  youtube?: YouTubeView;
  /** The post's tags as the feed wrote them, each with the key its page is found by. */
  tags: { name: string; key: string }[];
  /** The other sources that carried the same article (it is stored once, under `source`). */
  alsoIn: { id: SourceId; name: string }[];
}

/** Per entry, the other sources that carried it (`Store.entrySources`). */
export type AlsoIn = ReadonlyMap<EntryId, readonly SourceId[]>;

/** Every view `postView` made: the one thing templates may output raw is the body of one of these
 * (themes' `it.raw.postHtml(post)`), so a look-alike object built in a template gets no raw output. */
const MADE = new WeakSet<object>();

/** The post's sanitized body, for raw output; throws for anything `postView` did not make. */
export function sanitizedBody(post: unknown): string {
  if (typeof post !== 'object' || post === null || !MADE.has(post))
    throw new TypeError('raw.postHtml takes a post of the page (it.post), not a value made in a template');
  return (post as PostView).contentHtml;
}

/** YouTube video ids are 11 URL-safe characters; anything else is not put in a URL of ours. */
const YOUTUBE_ID = /^[A-Za-z0-9_-]{6,20}$/;

/** `images`: where the page loads each of the post's images from (the image proxy, the export's copies). */
export function postView(
  entry: StoredEntry,
  sources: ReadonlyMap<SourceId, Source>,
  labels: DateLabels,
  alsoIn: AlsoIn = new Map(),
  images?: ImageUrlMap,
): PostView {
  const { item } = entry;
  const source = sources.get(entry.sourceId);
  const url = originalUrl(item);
  const author = attributionAuthor(item, source);
  const published = new Date(item.date_published ?? entry.firstSeenAt);
  const homePageUrl = sourceHomePage(source);
  const person = sourcePerson(source);
  const view: PostView = {
    id: entry.id,
    author,
    source: {
      id: entry.sourceId,
      name: sourceName(source),
      ...(homePageUrl && { homePageUrl }),
      ...sourceFace(source, images),
      ...(person && { person }),
    },
    published: item.date_published ?? published.toISOString(),
    publishedLabel: labels.dateTime(published),
    contentHtml: images ? mapImageUrls(bodyHtml(item), images) : bodyHtml(item),
    media: mediaViews(item),
    tags: tagViews(item.tags),
    alsoIn: (alsoIn.get(entry.id) ?? []).map((id) => ({ id, name: sourceName(sources.get(id)) })),
  };
  const title = item.title?.trim();
  if (title) view.title = title;
  if (url) view.url = url;
  if (item._youtube_id && YOUTUBE_ID.test(item._youtube_id)) {
    view.youtube = youtubeView(item._youtube_id, httpUrl(item.image), images);
  }
  MADE.add(view);
  return view;
}

/** The sanitized HTML body, else the plain-text body or summary as escaped paragraphs. */
export function bodyHtml(item: FeedItem): string {
  if (item.content_html?.trim()) return item.content_html;
  const text = item.content_text?.trim() || item.summary?.trim();
  return text ? textToHtml(text) : '';
}

/** Plain text as HTML paragraphs (blank lines split them, single newlines become `<br>`), escaped. */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((para) => `<p>${escapeHtml(para.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Each tag once (by key); tags that index nothing (empty, too long) are left off. */
function tagViews(tags: string[] | undefined): PostView['tags'] {
  const views = new Map<string, string>();
  for (const name of tags ?? []) {
    const key = tagKey(name);
    if (key && !views.has(key)) views.set(key, name.trim());
  }
  return [...views].map(([key, name]) => ({ key, name }));
}

function mediaViews(item: FeedItem): MediaView[] {
  const views: MediaView[] = [];
  for (const attachment of item.attachments ?? []) {
    const url = httpUrl(attachment.url);
    if (!url) continue;
    const type = attachment.mime_type?.toLowerCase() ?? '';
    const playable = isHttps(url) && (type.startsWith('audio/') || type.startsWith('video/'));
    const kind = playable ? (type.startsWith('audio/') ? 'audio' : 'video') : 'link';
    const label = attachment.title?.trim() || new URL(url).pathname.split('/').pop() || url;
    views.push({ kind, url, label, ...(type && { mimeType: type }) });
  }
  return views;
}

/** The thumbnail is the feed's own (`media:thumbnail`) when it gives one, else YouTube's usual address for it. */
function youtubeView(id: string, feedThumbnail: string | undefined, images?: ImageUrlMap): YouTubeView {
  const thumbnailUrl = feedThumbnail ?? `https://i.ytimg.com/vi/${id}/hqdefault.jpg`;
  return {
    id,
    watchUrl: `https://www.youtube.com/watch?v=${id}`,
    embedUrl: `https://www.youtube-nocookie.com/embed/${id}`,
    thumbnailUrl: images ? images(thumbnailUrl) : thumbnailUrl,
  };
}
