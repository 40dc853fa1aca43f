/**
 * A source's WebSub subscription, kept in its learned options (`source.options.websub`, see store.ts): one
 * subscription per source, so both stores carry it without a table of its own, and the web server
 * (callbacks) and the workers (subscribing, renewing) share it through the database. Written only with
 * `Store.setLearned`, which touches no other option.
 */
import type { Source, Subscription } from '../store/index.js';

export type { Subscription };

/** Renew once this share of the granted lease has passed. */
export const RENEW_AT_SHARE = 0.8;

export function subscriptionOf(source: Source): Subscription | undefined {
  const sub = source.options.websub;
  return sub && typeof sub === 'object' && typeof sub.token === 'string' ? sub : undefined;
}

/** When an active subscription should be renewed; undefined when it is not active. */
export function renewAt(sub: Subscription): Date | undefined {
  if (sub.state !== 'active' || !sub.verifiedAt || !sub.leaseSeconds) return undefined;
  return new Date(Date.parse(sub.verifiedAt) + sub.leaseSeconds * RENEW_AT_SHARE * 1000);
}
