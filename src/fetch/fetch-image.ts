/**
 * fetchImage: one image from a post, for the image proxy and the static export. It is a feed fetch in all but
 * what it accepts (fetchFeed: the address guard on every hop, redirects checked hop by hop, one deadline, a
 * streaming size cap, conditional GET), capped at 10 MB, and kept only when it is a raster image a browser
 * shows: the Content-Type must say image/* but not SVG (which can carry script), and the bytes themselves must
 * be one of those formats by their magic number, since a server may label anything `image/png`.
 */
import { fileTypeFromBuffer } from 'file-type/core';
import { type FetchInternals, type FetchOptions, fetchFeedWith } from './fetch-feed.js';
import type { FetchErrorCode, Validators } from './outcome.js';

/** Larger images are refused: no post needs one, and the proxy holds an image in memory while it checks it. */
const IMAGE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * What the proxy and the export serve, by the type the bytes are: the raster formats browsers display, with
 * the file name extension the export gives them.
 */
export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/apng': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/bmp': 'bmp',
  'image/x-icon': 'ico',
};

/** Raster formats first, so that a server negotiating formats never picks SVG. */
const ACCEPT_IMAGES = 'image/avif,image/webp,image/apng,image/png,image/jpeg,image/gif;q=0.9,image/*;q=0.5';

export type ImageOutcome =
  | {
      kind: 'ok';
      /** Decompressed, at most IMAGE_MAX_BYTES. */
      bytes: Uint8Array;
      /** The type the bytes are (not the one the server claimed). */
      contentType: string;
      /** The server's ETag and Last-Modified. */
      validators: Validators;
    }
  /** The validators sent still hold (the server answered 304). */
  | { kind: 'notModified'; validators: Validators }
  | {
      kind: 'failed';
      error: FetchErrorCode | 'not-an-image';
      /** The last HTTP status the server answered with, when it answered. */
      status?: number;
      reason: string;
    };

export type ImageFetchOptions = Pick<FetchOptions, 'validators' | 'policy' | 'limiter' | 'signal'>;

/** `internals`: fetch-feed.ts's test seams. */
export async function fetchImage(
  url: string,
  opts: ImageFetchOptions = {},
  internals: FetchInternals = {},
): Promise<ImageOutcome> {
  const policy = {
    ...opts.policy,
    maxBodyBytes: Math.min(opts.policy?.maxBodyBytes ?? IMAGE_MAX_BYTES, IMAGE_MAX_BYTES),
  };
  const outcome = await fetchFeedWith(url, { ...opts, policy, accept: ACCEPT_IMAGES }, internals);
  switch (outcome.kind) {
    case 'notModified':
      return { kind: 'notModified', validators: outcome.validators };
    case 'failed':
      return {
        kind: 'failed',
        error: outcome.error,
        reason: outcome.reason,
        ...(outcome.status !== undefined && { status: outcome.status }),
      };
    case 'gone':
    case 'throttled':
      return { kind: 'failed', error: 'http-status', status: outcome.status, reason: outcome.reason };
  }
  const claimed = (outcome.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const where = outcome.finalUrl;
  const refuse = (reason: string): ImageOutcome => ({
    kind: 'failed',
    error: 'not-an-image',
    status: outcome.status,
    reason: `${reason} from ${where}`,
  });
  if (!claimed.startsWith('image/')) return refuse(`Content-Type "${claimed || 'none'}" is not an image`);
  if (claimed === 'image/svg+xml') return refuse('SVG images are not served (SVG can carry script)');
  const sniffed = (await fileTypeFromBuffer(outcome.body))?.mime;
  if (!sniffed || !Object.hasOwn(IMAGE_EXTENSIONS, sniffed)) {
    return refuse(`labelled ${claimed}, the bytes are ${sniffed ?? 'no image format browsers show'}`);
  }
  return { kind: 'ok', bytes: outcome.body, contentType: sniffed, validators: outcome.validators };
}
