/**
 * A post's images pointed elsewhere (the image proxy, or the static export's copies) when a page is rendered,
 * never in the stored HTML, so that a change of `site.image_proxy` applies to every post already stored. Only
 * the URLs a browser loads by itself, without a click, are changed: `<img src>`, every `srcset` candidate
 * (`<img>`, `<picture><source>`), a video's `poster` and the `background` of a table or cell.
 */
import { type Attributes, writeAllowed } from './sanitize-writer.js';
import { mapSrcset } from './url-policy.js';

/** What becomes of one image URL: another URL, or the same one to leave it as it is. */
export type ImageUrlMap = (url: string) => string;

/** Markup that holds none of these loads no image by itself: it is returned without being parsed. */
const MAY_LOAD_IMAGES = /<img\b|\ssrcset=|\sposter=|\sbackground=/;

/**
 * Sanitized `html` (the content stage's output) with its image URLs mapped. Written back through the
 * sanitizer's own serializer, everything else comes out as it went in.
 */
export function mapImageUrls(html: string, map: ImageUrlMap): string {
  if (!MAY_LOAD_IMAGES.test(html)) return html;
  return writeAllowed(html, (name, attribs) => mapAttributes(name, attribs, map));
}

function mapAttributes(name: string, attribs: Attributes, map: ImageUrlMap): Attributes {
  let mapped: Attributes | undefined;
  const set = (key: string, value: string | undefined) => {
    if (value === undefined || value === attribs[key]) return;
    mapped ??= { ...attribs };
    mapped[key] = value;
  };
  if (name === 'img' && attribs.src) set('src', map(attribs.src));
  if (attribs.srcset) set('srcset', mapSrcset(attribs.srcset, map));
  if (attribs.poster) set('poster', map(attribs.poster));
  if (attribs.background) set('background', map(attribs.background));
  return mapped ?? attribs;
}
