/**
 * The image proxy: `/img/<signature>/<image URL in base64url>` serves a post's image from this site, so that
 * pages show the plain-http images their CSP refuses and, with `site.image_proxy: all`, no image host learns
 * who reads the river. Other aggregators' proxies were the way in for past attacks; each has its answer here:
 * - an unsigned proxy fetches anything for anyone (SSRF, an open relay): the address is signed with a key every
 *   process of the database shares (the settings table, or TRIBUTARY_IMAGE_PROXY_SECRET), so only URLs this
 *   site put in its own pages are fetched, and the fetch goes through the feeds' address guard, on every hop;
 * - HTML or SVG served from the proxy runs script on our origin (XSS): only raster images are served (by
 *   their bytes, not their label), with `nosniff` and a CSP of their own that sandboxes even an image opened
 *   as a page;
 * - a proxy that answers with the upstream's redirects is an open redirect: redirects are followed here (and
 *   checked), never passed on.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { ImageUrlMap } from '../content/image-urls.js';
import type { FetchInternals } from '../fetch/fetch-feed.js';
import { MAX_VALIDATOR_LENGTH } from '../fetch/fetch-feed.js';
import { fetchImage, type ImageOutcome } from '../fetch/fetch-image.js';
import { type FetchPolicy, Limiter, type Validators } from '../fetch/index.js';
import { DEFAULT_IMAGE_PROXY_MODE, type ImageProxyMode, routedImage } from '../publish/image-routing.js';
import type { Store } from '../store/index.js';
import { IMAGE_SECURITY_HEADERS } from './headers.js';

export interface ImageProxyOptions {
  /** Which images pages load through the proxy; `http` by default. */
  mode?: ImageProxyMode;
  /** The signing key (TRIBUTARY_IMAGE_PROXY_SECRET); the database's own when absent. */
  secret?: string;
  /** How images are fetched: the feeds' policy (timeout, user agent, private networks); the size cap is 10 MB. */
  fetchPolicy?: Partial<FetchPolicy>;
  /** Test seam (fetch-feed.ts): origins reached without the address guard. */
  fetchInternals?: FetchInternals;
}

const PREFIX = '/img/';
/** 128 bits of HMAC-SHA256: ample against forgery, and short in a page that links dozens of images. */
const SIGNATURE_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Images change rarely; the validators let a browser check after a day without fetching the image again. */
const IMAGE_CACHE = 'public, max-age=86400';
/** A page of the river asks for dozens of images at once, often from one host: a browser would open 6. */
const limiter = new Limiter(32, 6);

export class ImageProxy {
  readonly #store: Store;
  readonly #options: ImageProxyOptions;
  #key: Promise<string> | undefined;

  constructor(store: Store, options: ImageProxyOptions = {}) {
    this.#store = store;
    this.#options = options;
  }

  get mode(): ImageProxyMode {
    return this.#options.mode ?? DEFAULT_IMAGE_PROXY_MODE;
  }

  /** Where pages load posts' images from: signed proxy addresses for the images the mode routes here. */
  async imageMap(): Promise<ImageUrlMap | undefined> {
    if (this.mode === 'off') return undefined;
    const key = await this.#signingKey();
    return (raw) => {
      const url = routedImage(raw, this.mode);
      return url ? proxyPath(key, url.href) : raw;
    };
  }

  /** Answers a GET or HEAD of `/img/…`. */
  async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const pathname = (request.url ?? '/').split('?')[0]!;
    const url = verifiedUrl(await this.#signingKey(), pathname);
    if (!url) return refuse(response, 403, 'This image address was not made by this site.');
    // A reader who leaves the page stops the fetch.
    const abandoned = new AbortController();
    response.on('close', () => abandoned.abort());
    let outcome: ImageOutcome;
    try {
      outcome = await fetchImage(
        url,
        {
          policy: this.#options.fetchPolicy ?? {},
          limiter,
          signal: abandoned.signal,
          validators: requestValidators(request),
        },
        this.#options.fetchInternals ?? {},
      );
    } catch (error) {
      if (abandoned.signal.aborted) return;
      throw error;
    }
    if (outcome.kind === 'failed') return refuse(response, ...failureReply(outcome));
    const validators = validatorHeaders(outcome.validators);
    if (outcome.kind === 'notModified' || stillValid(request, outcome.validators)) {
      response.writeHead(304, { ...IMAGE_SECURITY_HEADERS, 'Cache-Control': IMAGE_CACHE, ...validators });
      response.end();
      return;
    }
    response.writeHead(200, {
      ...IMAGE_SECURITY_HEADERS,
      'Content-Type': outcome.contentType,
      'Content-Length': outcome.bytes.length,
      'Content-Disposition': 'inline',
      'Cache-Control': IMAGE_CACHE,
      ...validators,
    });
    response.end(request.method === 'HEAD' ? undefined : outcome.bytes);
  }

  /** The key, read once; a failed read (the database was down) is tried again by the next request. */
  #signingKey(): Promise<string> {
    if (!this.#key) {
      this.#key = this.#readKey();
      this.#key.catch(() => (this.#key = undefined));
    }
    return this.#key;
  }

  async #readKey(): Promise<string> {
    const key = this.#options.secret ?? (await this.#store.setting('image_proxy_secret'));
    if (!key) {
      throw new Error(
        'the database holds no image proxy secret: run `tributary migrate`, or set TRIBUTARY_IMAGE_PROXY_SECRET',
      );
    }
    return key;
  }
}

/** Whether a request path is the proxy's to answer. */
export function isImageProxyPath(pathname: string): boolean {
  return pathname.startsWith(PREFIX);
}

function signature(key: string, url: string): Buffer {
  return createHmac('sha256', key).update(url).digest().subarray(0, SIGNATURE_BYTES);
}

/** The proxy's address for the image at `url`. */
export function proxyPath(key: string, url: string): string {
  const encoded = Buffer.from(url).toString('base64url');
  return `${PREFIX}${signature(key, url).toString('base64url')}/${encoded}`;
}

/** The image URL a proxy path names, when its signature is this key's; else undefined. */
function verifiedUrl(key: string, pathname: string): string | undefined {
  const [signed, encoded, ...rest] = pathname.slice(PREFIX.length).split('/');
  if (!signed || !encoded || rest.length > 0 || !BASE64URL.test(signed) || !BASE64URL.test(encoded))
    return undefined;
  const url = Buffer.from(encoded, 'base64url').toString();
  const given = Buffer.from(signed, 'base64url');
  const expected = signature(key, url);
  return given.length === expected.length && timingSafeEqual(given, expected) ? url : undefined;
}

/** The reader's validators (ours are the image server's own), passed on to the image server. */
function requestValidators(request: http.IncomingMessage): Validators {
  const keep = (value: string | undefined) =>
    value && value.length <= MAX_VALIDATOR_LENGTH ? value : undefined;
  const etag = keep(request.headers['if-none-match']);
  const lastModified = keep(request.headers['if-modified-since']);
  return { ...(etag && { etag }), ...(lastModified && { lastModified }) };
}

/** True when the image server ignored the reader's validators but its own still match them (RFC 9110 §13.1). */
function stillValid(request: http.IncomingMessage, current: Validators): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!current.etag) return false;
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(current.etag!));
  }
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  const modified = Date.parse(current.lastModified ?? '');
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

function validatorHeaders(validators: Validators): Record<string, string> {
  return {
    ...(validators.etag && { ETag: validators.etag }),
    ...(validators.lastModified && { 'Last-Modified': validators.lastModified }),
  };
}

/**
 * The status and words of a refusal. They name the kind of fault only: the fetcher's own reason can tell
 * what a host name resolves to inside our network, which is not the reader's business.
 */
function failureReply(outcome: Extract<ImageOutcome, { kind: 'failed' }>): [number, string] {
  switch (outcome.error) {
    case 'blocked-address':
    case 'bad-scheme':
      return [403, 'This image is on an address this site does not fetch from (a private network).'];
    case 'not-an-image':
      return [
        502,
        'The image server did not send an image this site serves (PNG, JPEG, GIF, WebP, AVIF, BMP, ICO).',
      ];
    case 'too-large':
      return [502, 'The image is larger than the 10 MB this site serves.'];
    case 'timeout':
      return [504, 'The image server did not answer in time.'];
    default:
      if (outcome.status === 404 || outcome.status === 410)
        return [404, 'The image server has no image at this address.'];
      return [502, 'The image could not be fetched from its server.'];
  }
}

function refuse(response: http.ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    ...IMAGE_SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${message}\n`);
}
