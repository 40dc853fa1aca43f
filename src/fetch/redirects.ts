/**
 * Manual redirect following: every hop is checked like the first URL (scheme, length, address),
 * loops and long chains are cut, credentials never cross origins, and the chain remembers whether
 * it was permanent so the caller can move a stored feed URL only for 301/308.
 */
import { publicUrl } from '../url-display.js';
import { checkUrl } from './address-guard.js';
import { FetchFailure } from './outcome.js';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const PERMANENT = new Set([301, 308]);
/** Request headers that carry the user's identity; sent only to the origin the user gave. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie'];

/** Identity of a URL for loop detection: fragments never reach the server. */
const hopKey = (url: URL) => url.href.replace(/#.*$/, '');

export class RedirectChain {
  private readonly start: URL;
  private readonly hops: URL[];
  private allPermanent = true;
  private downgraded = false;

  /**
   * @param start the first URL (credentials, if any, stay attached here only)
   * @param mayReachPrivate whether a hop may target a blocked IP literal (policy or test trust)
   */
  constructor(
    start: URL,
    private readonly maxRedirects: number,
    private readonly mayReachPrivate: (url: URL) => boolean,
  ) {
    this.start = start;
    this.hops = [withoutCredentials(start)];
  }

  /** The URL to request now, without user:password. */
  get current(): URL {
    return this.hops[this.hops.length - 1]!;
  }

  get redirected(): boolean {
    return this.hops.length > 1;
  }

  /** Validates the redirect a response asks for and makes its target current; throws a FetchFailure. */
  follow(status: number, location: string | undefined): void {
    const from = this.current;
    if (!location) {
      throw new FetchFailure(
        'http-status',
        `HTTP ${status} redirect without a Location header from ${from.href}`,
        status,
      );
    }
    let target: URL;
    try {
      target = withoutCredentials(new URL(location, from));
    } catch {
      throw new FetchFailure(
        'bad-scheme',
        `redirect from ${from.href} to an invalid URL ${JSON.stringify(location.slice(0, 200))}`,
      );
    }
    const check = checkUrl(target, this.mayReachPrivate(target));
    if (!check.ok) throw new FetchFailure(check.error, `redirect from ${from.href} refused: ${check.reason}`);
    if (this.hops.some((hop) => hopKey(hop) === hopKey(target))) {
      const path = [...this.hops, target].map((u) => u.href).join(' → ');
      throw new FetchFailure('redirect-loop', `redirect loop: ${path}`);
    }
    if (this.hops.length > this.maxRedirects) {
      throw new FetchFailure(
        'too-many-redirects',
        `more than ${this.maxRedirects} redirects starting at ${this.hops[0]!.href} (last: ${target.href})`,
      );
    }
    if (!PERMANENT.has(status)) this.allPermanent = false;
    if (from.protocol === 'https:' && target.protocol === 'http:') this.downgraded = true;
    this.hops.push(target);
  }

  /**
   * Where the feed now lives when every hop was a 301/308 and none went from https to http;
   * undefined otherwise. Credentials the user gave are kept when the move stays on their origin.
   */
  get permanentTarget(): string | undefined {
    if (!this.redirected || !this.allPermanent || this.downgraded) return undefined;
    return carryCredentials(this.start, this.current.href);
  }

  /** `headers` for the current hop: identity headers are dropped once the chain leaves the first origin. */
  headersForCurrent(headers: Record<string, string>): Record<string, string> {
    if (this.current.origin === this.start.origin) return headers;
    return Object.fromEntries(
      Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())),
    );
  }
}

function withoutCredentials(url: URL): URL {
  return new URL(publicUrl(url));
}

/**
 * `target` with the user:password of `given` when both are on one origin and `target` names none of its own:
 * a private feed's credentials follow it to another URL of the same site, never to another site.
 */
export function carryCredentials(given: URL, target: string): string {
  const url = new URL(target);
  if (url.origin !== given.origin || url.username || url.password) return url.href;
  url.username = given.username;
  url.password = given.password;
  return url.href;
}
