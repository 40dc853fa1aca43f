/** Enclosures, Media RSS, iTunes and YouTube extensions: what an item carries besides its text. */
import type { Attachment, ItunesEpisode } from '../model.js';
import { collapseSpace } from './text.js';
import { resolveUrl } from './urls.js';
import { child, childrenNamed, textOf, type XmlElement } from './xml.js';

export interface ItemMedia {
  attachments?: Attachment[];
  image?: string;
  youtubeId?: string;
  /** media:description (plain text), used when the item has no other content (YouTube). */
  description?: string;
  /** media:title, for items with no title of their own. */
  title?: string;
}

/** "1:02:03", "62:03", "3723" or "3723.5" → seconds. */
export function parseDuration(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s));
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function positiveInt(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

const IMAGE_TYPE = /^image\//i;
const IMAGE_EXT = /\.(jpe?g|png|gif|webp|avif)(\?|$)/i;

/** The children readItemMedia reads; with none of them (most items) it has nothing to do. */
const MEDIA_ELEMENTS = new Set([
  'enclosure',
  'media:group',
  'media:content',
  'media:thumbnail',
  'media:description',
  'media:title',
  'itunes:image',
  'itunes:link',
  'yt:videoid',
]);

/** Reads media from an RSS item or Atom entry. Atom `link rel=enclosure` is read by the Atom mapper and
 * passed in as `enclosures`. */
export function readItemMedia(
  item: XmlElement,
  base: string | undefined,
  enclosures: Attachment[] = [],
): ItemMedia {
  const out: ItemMedia = {};
  // One pass to see whether there is anything to read spares the dozen lookups below for most items.
  if (
    enclosures.length === 0 &&
    !item.children.some((c) => typeof c !== 'string' && MEDIA_ELEMENTS.has(c.name))
  )
    return out;
  const attachments: Attachment[] = [...enclosures];
  const seen = new Set(attachments.map((a) => a.url));
  const add = (a: Attachment | undefined) => {
    if (a && !seen.has(a.url)) {
      seen.add(a.url);
      attachments.push(a);
    }
  };
  const itunesDuration = parseDuration(textOf(child(item, 'itunes:duration')) || undefined);

  for (const enc of childrenNamed(item, 'enclosure')) {
    const url = resolveUrl(enc.attrs.url, base);
    if (!url) continue;
    const a: Attachment = { url };
    if (enc.attrs.type) a.mime_type = enc.attrs.type.trim();
    const size = positiveInt(enc.attrs.length);
    if (size !== undefined) a.size_in_bytes = size;
    if (itunesDuration !== undefined) a.duration_in_seconds = itunesDuration;
    add(a);
  }

  const group = child(item, 'media:group');
  const mediaHolders = group ? [item, group] : [item];
  const contents: XmlElement[] = [];
  for (const holder of mediaHolders) {
    for (const mc of childrenNamed(holder, 'media:content')) {
      contents.push(mc);
      const url = resolveUrl(mc.attrs.url, base);
      if (!url) continue;
      const medium = mc.attrs.medium?.toLowerCase();
      const type = mc.attrs.type?.trim();
      // YouTube still lists a Flash player URL for every video: nothing can play it.
      if (type === 'application/x-shockwave-flash') continue;
      if (medium === 'image' || (type && IMAGE_TYPE.test(type)) || (!type && IMAGE_EXT.test(url))) {
        out.image ??= url;
        continue;
      }
      const a: Attachment = { url };
      if (type) a.mime_type = type;
      const size = positiveInt(mc.attrs.filesize);
      if (size !== undefined) a.size_in_bytes = size;
      const duration = positiveInt(mc.attrs.duration) ?? itunesDuration;
      if (duration !== undefined) a.duration_in_seconds = duration;
      add(a);
    }
    readMediaDetails(holder, base, out);
  }
  // Media RSS puts thumbnail, description and title on the item, its group or a media:content: the nearest
  // to the item wins.
  for (const mc of contents) readMediaDetails(mc, base, out);

  const itunesImage = child(item, 'itunes:image');
  if (itunesImage)
    out.image ??= resolveUrl(itunesImage.attrs.href || itunesImage.attrs.url || textOf(itunesImage), base);
  for (const link of childrenNamed(item, 'itunes:link')) {
    if (link.attrs.rel === 'image') out.image ??= resolveUrl(link.attrs.href, base);
  }
  if (!out.image) {
    const imageEnclosure = attachments.find((a) => a.mime_type && IMAGE_TYPE.test(a.mime_type));
    if (imageEnclosure) out.image = imageEnclosure.url;
  }

  const videoId = textOf(child(item, 'yt:videoid'));
  if (videoId && /^[\w-]{6,20}$/.test(videoId)) out.youtubeId = videoId;
  if (attachments.length > 0) out.attachments = attachments;
  return out;
}

function readMediaDetails(holder: XmlElement, base: string | undefined, out: ItemMedia): void {
  const thumb = child(holder, 'media:thumbnail');
  if (thumb) out.image ??= resolveUrl(thumb.attrs.url, base);
  out.description ??= textOf(child(holder, 'media:description')) || undefined;
  out.title ??= textOf(child(holder, 'media:title')) || undefined;
}

const EXPLICIT: Record<string, boolean> = {
  yes: true,
  true: true,
  explicit: true,
  no: false,
  false: false,
  clean: false,
};

/** itunes:episode, itunes:season, itunes:episodeType and itunes:explicit; undefined when none is readable. */
export function readItunesEpisode(item: XmlElement): ItunesEpisode | undefined {
  const out: ItunesEpisode = {};
  const episode = positiveInt(textOf(child(item, 'itunes:episode')));
  if (episode !== undefined) out.episode = episode;
  const season = positiveInt(textOf(child(item, 'itunes:season')));
  if (season !== undefined) out.season = season;
  const type = textOf(child(item, 'itunes:episodetype')).toLowerCase();
  if (type) out.episode_type = type;
  const explicit = EXPLICIT[textOf(child(item, 'itunes:explicit')).toLowerCase()];
  if (explicit !== undefined) out.explicit = explicit;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** itunes:keywords: "alpha, beta" → ["alpha", "beta"]. */
export function itunesKeywords(item: XmlElement): string[] {
  const out: string[] = [];
  for (const k of item.children) {
    if (typeof k === 'string' || k.name !== 'itunes:keywords') continue;
    for (const word of textOf(k).split(',')) {
      const w = collapseSpace(word);
      if (w) out.push(w);
    }
  }
  return out;
}
