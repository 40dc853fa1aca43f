/** What a fetch can come back with. Failure is normal on the open web, so it is a value, not an exception. */

/** Conditional-GET validators, sent back verbatim on the next fetch. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type FetchErrorCode =
  | 'timeout'
  | 'connect'
  | 'dns'
  | 'tls'
  | 'blocked-address'
  | 'bad-scheme'
  | 'too-large'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'http-status'
  | 'empty-body'
  | 'bad-encoding'
  | 'network';

/** Fields for scheduling that 200 and 304 share. */
interface Freshness {
  validators: Validators;
  /** Set when every hop was 301/308 (and none went https→http): where the feed says it lives now. */
  permanentRedirect?: string;
  /** From Cache-Control max-age or Expires: do not poll again sooner than this. */
  cacheMaxAgeSeconds?: number;
}

export type FetchOutcome =
  | ({
      kind: 'ok';
      url: string;
      finalUrl: string;
      status: number;
      /** Decompressed body. */
      body: Uint8Array;
      /** The Content-Type header as sent (charset parameter included); the body may still be a feed when it lies. */
      contentType?: string;
      /** Response headers, lower-case names; content-encoding/-length describe the wire, not `body`. */
      headers: Record<string, string>;
      durationMs: number;
    } & Freshness)
  | ({ kind: 'notModified'; url: string; durationMs: number } & Freshness)
  | { kind: 'gone'; url: string; status: 410; reason: string; durationMs: number }
  | {
      kind: 'throttled';
      url: string;
      status: 429 | 503;
      retryAfterSeconds?: number;
      reason: string;
      durationMs: number;
    }
  | {
      kind: 'failed';
      url: string;
      status?: number;
      error: FetchErrorCode;
      reason: string;
      durationMs: number;
    };

/** Thrown inside the fetch stage and turned into a `failed` outcome at its edge. */
export class FetchFailure extends Error {
  constructor(
    readonly code: FetchErrorCode,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'FetchFailure';
  }
}
