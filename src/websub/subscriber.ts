/**
 * The subscriber's outgoing side, run by each refresh of a source: subscribe when its feed advertises a hub,
 * renew before the granted lease runs out, and stretch polling to a safety net while pushes arrive.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { FetchPolicy } from '../fetch/index.js';
import type { JsonFeed } from '../model.js';
import { type NextFetch, type NextFetchInput, nextFetchAt } from '../schedule/index.js';
import type { Source, Store } from '../store/index.js';
import { postToHub } from './hub-request.js';
import { advertised } from './links.js';
import { renewAt, type Subscription, subscriptionOf } from './subscription.js';

export interface WebSubOptions {
  /** This server's public URL: callbacks are `<callbackBase>/websub/<sourceId>/<token>`. No subscribing without it. */
  callbackBase?: string;
  /** The lease asked of hubs (they may grant another). */
  leaseSeconds: number;
  /** The hub our own merged feeds advertise and ping after new entries. */
  hub?: string;
  /** The merged feeds' public URLs, pinged at `hub` (empty when the site has no public URL). */
  topics?: string[];
}

export interface SubscriberDeps {
  store: Store;
  fetchPolicy: Partial<FetchPolicy>;
  websub?: WebSubOptions;
  now: () => Date;
  log: Logger;
}

/** A feed as fetched: what it advertises decides where to subscribe. */
export interface FetchedFeed {
  feed: JsonFeed;
  /** Response headers (lower-case names) of the fetch that returned `feed`. */
  headers: Record<string, string>;
  url: string;
}

/** While a subscription is active, polling is only a safety net: at most every 6 hours. */
export const SAFETY_NET_SECONDS = 6 * 60 * 60;
/** A subscribe request the hub never verified is retried after this long. */
const RETRY_PENDING_MS = 60 * 60 * 1000;
/** A hub that denied a subscription is asked again after this long. */
const RETRY_DENIED_MS = 24 * 60 * 60 * 1000;

/**
 * Subscribes to (or renews at) the hub the feed advertises when due — for a 304 (`fetched` absent) renews
 * the current subscription when due — and returns the source's subscription as
 * the store now holds it. Never throws: a hub that fails is logged and asked again on a later refresh.
 */
export async function maintainSubscription(
  deps: SubscriberDeps,
  source: Source,
  fetched?: FetchedFeed,
): Promise<Subscription | undefined> {
  try {
    return await subscribeIfDue(deps, source, fetched);
  } catch (e) {
    // Only the store can throw here; the fetch itself must still commit.
    deps.log.warn(
      { source: source.id, error: (e as Error).message },
      'websub: could not record subscription',
    );
    return subscriptionOf(source);
  }
}

async function subscribeIfDue(
  deps: SubscriberDeps,
  source: Source,
  fetched: FetchedFeed | undefined,
): Promise<Subscription | undefined> {
  const current = subscriptionOf(source);
  const callbackBase = deps.websub?.callbackBase;
  if (!callbackBase) return current;
  // Without a body (a 304) the feed is as it was: only renewing the current subscription is in question.
  const { hubs, topic } = fetched
    ? advertised(fetched.feed, fetched.headers, fetched.url)
    : { hubs: current ? [current.hub] : [], topic: current?.topic };
  if (hubs.length === 0 || !topic) return current;
  const now = deps.now();
  const sameTarget = current && hubs.includes(current.hub) && current.topic === topic;
  let sub: Subscription;
  if (sameTarget && current) {
    if (!due(current, now)) return current;
    // Renewal (or retry) at the same callback, token and secret: pushes keep flowing meanwhile. A secret
    // that an older Tributary gave a plain-http hub is not sent again, so the hub stops signing with it.
    const { secret, ...rest } = current;
    sub = { ...rest, ...(secret && isHttps(current.hub) && { secret }), requestedAt: now.toISOString() };
  } else {
    const hub = hubs[0]!;
    sub = {
      hub,
      topic,
      token: randomBytes(18).toString('base64url'),
      ...(isHttps(hub) && { secret: randomBytes(32).toString('base64url') }),
      state: 'pending',
      requestedAt: now.toISOString(),
    };
  }
  // Saved before asking: the hub may verify intent before its reply to our request reaches us.
  await deps.store.setLearned(source.id, 'websub', sub);
  const callback = `${callbackBase.replace(/\/+$/, '')}/websub/${source.id}/${sub.token}`;
  try {
    await postToHub(
      sub.hub,
      {
        'hub.mode': 'subscribe',
        'hub.topic': sub.topic,
        'hub.callback': callback,
        ...(sub.secret && { 'hub.secret': sub.secret }),
        'hub.lease_seconds': String(deps.websub?.leaseSeconds),
      },
      deps.fetchPolicy,
    );
    deps.log.info({ source: source.id, hub: sub.hub, topic }, 'websub: subscription requested');
  } catch (e) {
    deps.log.warn(
      { source: source.id, hub: sub.hub, error: (e as Error).message },
      'websub: subscribe failed',
    );
  }
  // The hub may have verified (and the callback recorded the lease) while we waited for its reply.
  const saved = await deps.store.getSource(source.id);
  return saved && subscriptionOf(saved);
}

/**
 * WebSub §5.1: the secret goes only to an https hub; over plain http it would cross the network in clear,
 * beside the callback URL that already names the subscription.
 */
function isHttps(hub: string): boolean {
  return hub.startsWith('https:');
}

function due(sub: Subscription, now: Date): boolean {
  const renew = renewAt(sub);
  const sinceRequest = now.getTime() - Date.parse(sub.requestedAt);
  if (sub.state === 'denied') return sinceRequest > RETRY_DENIED_MS;
  if (!renew) return sinceRequest > RETRY_PENDING_MS;
  if (now < renew) return false;
  // Due: ask once, then again only after the retry delay if the hub did not verify.
  return Date.parse(sub.requestedAt) < renew.getTime() || sinceRequest > RETRY_PENDING_MS;
}

/**
 * `nextFetchAt`, bent around an active subscription: at least `SAFETY_NET_SECONDS` apart (pushes bring the
 * news), yet no later than the renewal time, so that a refresh comes in time to renew the lease.
 */
export function pollAround(sub: Subscription | undefined, input: NextFetchInput): NextFetch {
  if (sub?.state !== 'active') return nextFetchAt(input);
  const next = nextFetchAt({
    ...input,
    minIntervalSeconds: Math.max(input.minIntervalSeconds ?? 0, SAFETY_NET_SECONDS),
  });
  const renew = renewAt(sub);
  if (renew && renew > input.now && renew < next.at) next.at = renew;
  return next;
}
