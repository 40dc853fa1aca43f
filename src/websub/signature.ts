/**
 * WebSub content-distribution signatures (W3C WebSub §8): `X-Hub-Signature: sha1=<hex>` (or sha256,
 * sha384, sha512), and the `X-Hub-Signature-256: sha256=<hex>` header some hubs send instead. An HMAC of
 * the raw body keyed with the subscription's secret, compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const ALGORITHMS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);

/** The `method=hex` signature a hub sends for `body` under `secret` (used by tests and by nothing else here). */
export function signBody(body: Uint8Array | string, secret: string, method = 'sha256'): string {
  return `${method}=${createHmac(method, secret).update(body).digest('hex')}`;
}

/**
 * Whether one of the request's signature headers is a valid HMAC of `body` under `secret`. Lower-case header
 * names, as node:http gives them. A missing, malformed or unknown-algorithm signature is invalid.
 */
export function validSignature(
  headers: Record<string, string | string[] | undefined>,
  body: Uint8Array,
  secret: string,
): boolean {
  const given = [headers['x-hub-signature-256'], headers['x-hub-signature']].flat();
  return given.some((header) => typeof header === 'string' && matches(header.trim(), body, secret));
}

function matches(header: string, body: Uint8Array, secret: string): boolean {
  const m = /^([a-z0-9]+)=([0-9a-f]+)$/i.exec(header);
  if (!m) return false;
  const method = m[1]!.toLowerCase();
  if (!ALGORITHMS.has(method)) return false;
  const expected = createHmac(method, secret).update(body).digest();
  const actual = Buffer.from(m[2]!, 'hex');
  // Lengths are public (they follow from the algorithm); timingSafeEqual needs them equal.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
