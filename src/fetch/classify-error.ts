/** Maps what undici, node:net, node:dns and node:tls throw onto a FetchErrorCode and a readable reason. */
import { BLOCKED_ADDRESS_CODE } from './http-client.js';
import { FetchFailure } from './outcome.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN']);
/** OpenSSL verification failures (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, …) and Node's ERR_TLS_* / ERR_SSL_*. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its `cause`s (undici wraps socket errors), bounded in depth. */
function causeChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e = err; e && typeof e === 'object' && chain.length < 5; e = (e as ErrorLike).cause)
    chain.push(e as ErrorLike);
  return chain;
}

/**
 * A FetchFailure for `err`, thrown while requesting `where` and `doing` (e.g. "reading the body of https://…").
 */
export function classifyError(
  err: unknown,
  { where, doing, connectTimeoutMs }: { where: string; doing: string; connectTimeoutMs: number },
): FetchFailure {
  if (err instanceof FetchFailure) return err;
  const chain = causeChain(err);
  const codes = chain.flatMap((e) => (typeof e.code === 'string' ? [e.code] : []));
  const messages = [
    ...new Set(chain.flatMap((e) => (typeof e.message === 'string' && e.message ? [e.message] : []))),
  ];
  const message = messages.join(': ') || String(err);
  const has = (test: (code: string) => boolean) => codes.some(test);
  if (has((c) => c === BLOCKED_ADDRESS_CODE))
    return new FetchFailure('blocked-address', `${message} (connecting to ${where})`);
  if (has((c) => DNS_CODES.has(c)))
    return new FetchFailure('dns', `DNS lookup failed for ${where}: ${message}`);
  if (has((c) => c === 'UND_ERR_CONNECT_TIMEOUT')) {
    return new FetchFailure('connect', `connect timeout after ${connectTimeoutMs} ms to ${where}`);
  }
  if (has((c) => CONNECT_CODES.has(c)))
    return new FetchFailure('connect', `could not connect to ${where}: ${message}`);
  if (has((c) => TLS_CODE.test(c))) return new FetchFailure('tls', `TLS failure with ${where}: ${message}`);
  if (has((c) => c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT')) {
    return new FetchFailure('timeout', `server stalled ${doing}: ${message}`);
  }
  if (has((c) => c === 'UND_ERR_HEADERS_OVERFLOW')) {
    return new FetchFailure('network', `response headers over the size limit ${doing}`);
  }
  return new FetchFailure('network', `network error ${doing}: ${message}`);
}
