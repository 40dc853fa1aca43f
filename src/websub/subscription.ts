/**
 * A source's WebSub subscription, kept in `source.options.websub`: one subscription per source, read and
 * written with the source row, so both stores (SQLite, PostgreSQL) carry it without a migration, and the web
 * server (callbacks) and the workers (subscribing, renewing) share it through the database.
 */
import type { Source, Store } from '../store/index.js';

export interface Subscription {
  hub: string;
  topic: string;
  /** The last path segment of the callback URL: an unguessable name for this subscription. */
  token: string;
  /** The HMAC key pushes are signed with (`hub.secret`). */
  secret: string;
  /** `pending` until the hub verified our intent; `active` after; `denied` when the hub refused it. */
  state: 'pending' | 'active' | 'denied';
  /** When we last asked the hub (subscribe or renew), ISO 8601. */
  requestedAt: string;
  /** When the hub last verified intent, ISO 8601, and the lease it granted then. */
  verifiedAt?: string;
  leaseSeconds?: number;
}

/** Renew once this share of the granted lease has passed. */
export const RENEW_AT_SHARE = 0.8;

export function subscriptionOf(source: Source): Subscription | undefined {
  const sub = source.options.websub as Subscription | undefined;
  return sub && typeof sub === 'object' && typeof sub.token === 'string' ? sub : undefined;
}

/** When an active subscription should be renewed; undefined when it is not active. */
export function renewAt(sub: Subscription): Date | undefined {
  if (sub.state !== 'active' || !sub.verifiedAt || !sub.leaseSeconds) return undefined;
  return new Date(Date.parse(sub.verifiedAt) + sub.leaseSeconds * RENEW_AT_SHARE * 1000);
}

/**
 * Writes (or, with undefined, removes) a source's subscription. Re-reads the source first, so options
 * another stage wrote since the caller's snapshot (e.g. an autodiscovered feed URL) are kept.
 */
export async function saveSubscription(
  store: Store,
  source: Source,
  sub: Subscription | undefined,
): Promise<void> {
  const current = (await store.getSource(source.id)) ?? source;
  const { websub: _previous, ...rest } = current.options;
  await store.addSource({ url: current.url, options: sub ? { ...rest, websub: sub } : rest });
}
