/**
 * A rendered resource made ready to send: body bytes, a strong ETag from their hash, Last-Modified, and
 * compressed variants made on first request and kept (a cached page is compressed once, not per request).
 */
import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { compress, type Encoding, MIN_COMPRESS_BYTES } from './encoding.js';
import { SECURITY_HEADERS } from './headers.js';
import type { Resource } from './site.js';

export interface Variant {
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

export class PreparedResponse {
  readonly status: number;
  /** The body's hash; each encoding's ETag is this plus a suffix, so every variant has its own tag. */
  readonly hash: string;
  readonly lastModified?: Date;
  readonly #resource: Resource;
  readonly #identity: Buffer;
  readonly #variants = new Map<Encoding, Variant>();

  constructor(resource: Resource) {
    this.#resource = resource;
    this.status = resource.status;
    this.#identity = Buffer.isBuffer(resource.body) ? resource.body : Buffer.from(resource.body, 'utf8');
    this.hash = createHash('sha1').update(this.#identity).digest('base64url').slice(0, 22);
    // HTTP dates have whole seconds; a validator finer than that would never match If-Modified-Since.
    if (resource.lastModified)
      this.lastModified = new Date(Math.floor(resource.lastModified.getTime() / 1000) * 1000);
  }

  /** Same status, headers and bytes: a re-render that changed nothing keeps its compressed variants. */
  sameAs(resource: Resource): boolean {
    const r = this.#resource;
    return (
      r.status === resource.status &&
      r.body === resource.body &&
      r.contentType === resource.contentType &&
      r.cacheControl === resource.cacheControl &&
      r.link === resource.link &&
      r.retryAfter === resource.retryAfter &&
      r.lastModified?.getTime() === resource.lastModified?.getTime()
    );
  }

  get compressible(): boolean {
    return this.#identity.length >= MIN_COMPRESS_BYTES;
  }

  variant(encoding: Encoding): Variant {
    let variant = this.#variants.get(encoding);
    if (!variant) {
      const body = encoding === 'identity' ? this.#identity : compress(this.#identity, encoding);
      const headers: OutgoingHttpHeaders = {
        ...SECURITY_HEADERS,
        'Content-Type': this.#resource.contentType,
        'Content-Length': body.length,
        'Cache-Control': this.#resource.cacheControl,
        ...this.#validators(encoding),
      };
      if (this.#resource.link) headers.Link = this.#resource.link;
      if (this.#resource.retryAfter !== undefined) headers['Retry-After'] = String(this.#resource.retryAfter);
      if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
      if (this.compressible) headers.Vary = 'Accept-Encoding';
      variant = { body, headers };
      this.#variants.set(encoding, variant);
    }
    return variant;
  }

  /** Headers of a 304 for this variant: validators and caching, no body metadata. */
  notModifiedHeaders(encoding: Encoding): OutgoingHttpHeaders {
    return {
      ...SECURITY_HEADERS,
      'Cache-Control': this.#resource.cacheControl,
      ...this.#validators(encoding),
      ...(this.compressible && { Vary: 'Accept-Encoding' }),
    };
  }

  /**
   * True when the request's validators match (RFC 9110 §13.1): If-None-Match when present (weak comparison,
   * any encoding's tag), else If-Modified-Since against Last-Modified.
   */
  isNotModified(ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
    if (this.status !== 200) return false;
    if (ifNoneMatch !== undefined) {
      return ifNoneMatch.split(',').some((tag) => {
        const t = tag.trim();
        return (
          t === '*' ||
          t
            .replace(/^W\//, '')
            .replace(/^"|"$/g, '')
            .replace(/-(br|gzip)$/, '') === this.hash
        );
      });
    }
    if (ifModifiedSince === undefined || !this.lastModified) return false;
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && this.lastModified.getTime() <= since;
  }

  #validators(encoding: Encoding): OutgoingHttpHeaders {
    if (this.status !== 200) return {};
    const headers: OutgoingHttpHeaders = {
      ETag: `"${this.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`,
    };
    if (this.lastModified) headers['Last-Modified'] = this.lastModified.toUTCString();
    return headers;
  }
}
