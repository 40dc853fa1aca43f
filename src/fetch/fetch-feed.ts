/**
 * fetchFeed: one polite, bounded, SSRF-guarded conditional GET of a feed URL.
 * Never throws for network or HTTP trouble (that is a `failed`/`gone`/`throttled` outcome); it
 * rejects only when the caller's own signal aborts it, with that signal's reason, as fetch() does.
 */
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { checkUrl } from './address-guard.js';
import { cacheMaxAgeSeconds } from './cache-headers.js';
import { classifyError } from './classify-error.js';
import { ACCEPT_ENCODING, readBody, skipBody } from './decode-body.js';
import { dispatcherFor, send } from './http-client.js';
import { type Limiter, sharedLimiter } from './limiter.js';
import { FetchFailure, type FetchOutcome, type Validators } from './outcome.js';
import { type FetchPolicy, resolvePolicy } from './policy.js';
import { REDIRECT_STATUSES, RedirectChain } from './redirects.js';
import { parseRetryAfter } from './retry-after.js';

export interface FetchOptions {
  /** Validators from the previous successful fetch, sent back verbatim. */
  validators?: Validators;
  policy?: Partial<FetchPolicy>;
  /** Aborting it rejects the returned promise (the fetch deadline is separate and yields `timeout`). */
  signal?: AbortSignal;
  /** Concurrency limits to queue under; the process-wide `sharedLimiter` when absent. */
  limiter?: Limiter;
  /** The Accept header; feed types first (ACCEPT) when absent. */
  accept?: string;
}

/** Test seams, not exported from the package. */
export interface FetchInternals {
  /**
   * Origins reached without the address guard (the loopback fixture server), so tests can check
   * that every *other* hop is still guarded.
   */
  trustedOrigins?: readonly string[];
  /** A resolver standing in for DNS, so tests can make a name resolve to a blocked address. */
  resolve?: LookupFunction;
}

/** Feeds first; HTML last so autodiscovery still gets pages; anything else rather than a 406. */
export const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

/** Longer validators are not stored: a real ETag or HTTP-date is tiny, a huge one is abuse or a bug. */
export const MAX_VALIDATOR_LENGTH = 1024;

export function fetchFeed(url: string, opts: FetchOptions = {}): Promise<FetchOutcome> {
  return fetchFeedWith(url, opts, {});
}

export async function fetchFeedWith(
  url: string,
  opts: FetchOptions,
  internals: FetchInternals,
): Promise<FetchOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const policy = resolvePolicy(opts.policy);
  const trusted = new Set(internals.trustedOrigins ?? []);
  const mayReachPrivate = (u: URL) => policy.allowPrivateNetworks || trusted.has(u.origin);

  let first: URL | undefined;
  try {
    first = new URL(url);
  } catch {}
  const check = checkUrl(url, first ? mayReachPrivate(first) : false);
  if (!check.ok)
    return { kind: 'failed', url, error: check.error, reason: check.reason, durationMs: elapsed() };

  return (opts.limiter ?? sharedLimiter).run(
    check.url.hostname,
    async () => {
      // The deadline starts once a slot is ours: time queued behind other feeds is not the server's fault.
      const deadline = AbortSignal.timeout(policy.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
      const chain = new RedirectChain(check.url, policy.maxRedirects, mayReachPrivate);
      const x: Exchange = {
        url,
        chain,
        policy,
        sent: opts.validators ?? {},
        signal,
        dispatcherFor: (target) =>
          dispatcherFor(!mayReachPrivate(target), policy.connectTimeoutMs, internals.resolve),
        doing: `waiting for a response from ${chain.current.href}`,
        ...(opts.accept && { accept: opts.accept }),
      };
      try {
        return { ...(await exchange(x)), durationMs: elapsed() } as FetchOutcome;
      } catch (err) {
        if (opts.signal?.aborted && !deadline.aborted) throw opts.signal.reason;
        const failure = deadline.aborted
          ? new FetchFailure('timeout', `timeout after ${policy.timeoutMs} ms ${x.doing}`)
          : classifyError(err, {
              where: x.chain.current.href,
              doing: x.doing,
              connectTimeoutMs: policy.connectTimeoutMs,
            });
        const status = failure.status === undefined ? {} : { status: failure.status };
        return {
          kind: 'failed',
          url,
          ...status,
          error: failure.code,
          reason: failure.reason,
          durationMs: elapsed(),
        };
      }
    },
    opts.signal,
  );
}

type Timeless<T> = T extends unknown ? Omit<T, 'durationMs'> : never;

/** One fetch in progress: what to send, where, and what it is doing now (for timeout messages). */
interface Exchange {
  url: string;
  chain: RedirectChain;
  policy: FetchPolicy;
  sent: Validators;
  signal: AbortSignal;
  dispatcherFor: (target: URL) => Dispatcher;
  doing: string;
  accept?: string;
}

/** Requests, follows redirects and reads the final response; throws FetchFailure or transport errors. */
async function exchange(x: Exchange): Promise<Timeless<FetchOutcome>> {
  const { url, chain, policy, sent } = x;
  const baseHeaders = requestHeaders(policy, sent, url, x.accept);
  for (;;) {
    const target = chain.current;
    x.doing = `waiting for a response from ${target.href}`;
    const response = await send(target, {
      headers: chain.headersForCurrent(baseHeaders),
      signal: x.signal,
      dispatcher: x.dispatcherFor(target),
    });
    const status = response.statusCode;
    const headers = flattenHeaders(response.headers);
    const body = response.body as unknown as Readable;
    if (REDIRECT_STATUSES.has(status)) {
      skipBody(body, { status, contentLength: headers['content-length'] });
      chain.follow(status, headers.location);
      continue;
    }
    const freshness = () => ({
      ...(chain.permanentTarget ? { permanentRedirect: chain.permanentTarget } : {}),
      ...optional(
        'cacheMaxAgeSeconds',
        cacheMaxAgeSeconds({
          cacheControl: headers['cache-control'],
          expires: headers.expires,
          date: headers.date,
        }),
      ),
    });
    const where = target.href;
    if (status >= 200 && status < 300) {
      x.doing = `reading the body of ${where}`;
      const bytes = await readBody(
        body,
        { contentEncoding: headers['content-encoding'], contentLength: headers['content-length'] },
        policy.maxBodyBytes,
        where,
      );
      if (bytes.length === 0)
        throw new FetchFailure('empty-body', `HTTP ${status} with an empty body from ${where}`, status);
      return {
        kind: 'ok',
        url,
        finalUrl: where,
        status,
        body: bytes,
        ...optional('contentType', headers['content-type']),
        headers,
        validators: validatorsOf(headers),
        ...freshness(),
      };
    }
    skipBody(body, { status, contentLength: headers['content-length'] });
    if (status === 304) {
      if (!sent.etag && !sent.lastModified) {
        throw new FetchFailure(
          'http-status',
          `HTTP 304 Not Modified from ${where} although no validators were sent`,
          304,
        );
      }
      // RFC 9111 §4.3.4: a 304 may carry updated validators; keep the ones we sent for the rest.
      return { kind: 'notModified', url, validators: { ...sent, ...validatorsOf(headers) }, ...freshness() };
    }
    const statusText = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''} from ${where}`;
    if (status === 410) return { kind: 'gone', url, status, reason: statusText };
    if (status === 429 || status === 503) {
      const retry = parseRetryAfter(headers['retry-after'], headers.date);
      return { kind: 'throttled', url, status, ...optional('retryAfterSeconds', retry), reason: statusText };
    }
    const challenge = headers['cf-mitigated'] === 'challenge' ? ' (Cloudflare bot challenge)' : '';
    throw new FetchFailure('http-status', statusText + challenge, status);
  }
}

function requestHeaders(
  policy: FetchPolicy,
  sent: Validators,
  original: string,
  accept = ACCEPT,
): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': policy.userAgent,
    accept,
    'accept-encoding': ACCEPT_ENCODING,
  };
  if (sent.etag) headers['if-none-match'] = sent.etag;
  if (sent.lastModified) headers['if-modified-since'] = sent.lastModified;
  // user:password in the feed URL (private feeds) becomes Basic auth for the first origin only.
  const given = new URL(original);
  if (given.username || given.password) {
    const pair = `${decodeURIComponent(given.username)}:${decodeURIComponent(given.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  return headers;
}

function validatorsOf(headers: Record<string, string>): Validators {
  const keep = (value: string | undefined) =>
    value && value.length <= MAX_VALIDATOR_LENGTH ? value : undefined;
  return {
    ...optional('etag', keep(headers.etag)),
    ...optional('lastModified', keep(headers['last-modified'])),
  };
}

/** Lower-case names; repeated headers joined with ", " (RFC 9110 §5.3). */
function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** `{ [key]: value }` when value is defined, else `{}`: the model leaves absent fields out. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
