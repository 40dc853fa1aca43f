/**
 * The undici side of fetching: connection pools whose DNS lookup refuses blocked addresses.
 * The check runs inside the socket's own `lookup`, on exactly the addresses it will dial, so a
 * name that resolves differently on a second query (DNS rebinding) cannot slip past a pre-flight check.
 *
 * Only undici's Agent and request modules are imported: its index loads all of undici (fetch, WebSocket,
 * caches, mocks: 134 files), 0.2 s of CPU at every command's start against 0.08 s for these two. undici has
 * no exports map, so its modules can be imported one by one; package.json takes its patch releases only
 * (~7.30), whose layout holds, and every fetch test goes through them.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import request from 'undici/lib/api/api-request.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import { ALLOW_PRIVATE_NETWORKS, blockedRange } from './address-guard.js';

export const BLOCKED_ADDRESS_CODE = 'ERR_TRIBUTARY_BLOCKED_ADDRESS';

export class BlockedAddressError extends Error {
  readonly code = BLOCKED_ADDRESS_CODE;
  constructor(
    readonly hostname: string,
    readonly address: string,
    range: string,
  ) {
    super(`${hostname} resolves to ${address}, which is in ${range}; ${ALLOW_PRIVATE_NETWORKS}`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for net/tls.connect that fails when any resolved address is blocked — one private
 * record among public ones is enough, since the socket may pick any of them.
 */
export function createGuardedLookup(resolve: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = typeof address === 'string' ? [address] : address.map((a) => a.address);
      for (const candidate of addresses) {
        const range = blockedRange(candidate);
        if (range) return callback(new BlockedAddressError(hostname, candidate, range), '', 0);
      }
      callback(null, address, family);
    });
  };
}

const agents = new Map<string, Agent>();
const resolverIds = new WeakMap<LookupFunction, number>();
let nextResolverId = 0;
const systemResolver = dnsLookup as LookupFunction;

/**
 * A pooled dispatcher per (guarded, connect timeout, resolver). Guarded and unguarded traffic never
 * share a pool, so a connection opened without the check is never reused by a guarded request.
 * `resolve` is the system resolver except in tests that need names to resolve where they say.
 */
export function dispatcherFor(
  guarded: boolean,
  connectTimeoutMs: number,
  resolve = systemResolver,
): Dispatcher {
  let resolverId = resolverIds.get(resolve);
  if (resolverId === undefined) resolverIds.set(resolve, (resolverId = nextResolverId++));
  const key = `${guarded}:${connectTimeoutMs}:${resolverId}`;
  let agent = agents.get(key);
  if (!agent) {
    // headersTimeout/bodyTimeout keep undici's 300 s defaults as a mere backstop: what bounds a fetch
    // is the caller's single deadline signal, since bodyTimeout is per chunk and a trickle never trips it.
    agent = new Agent({
      connect: { timeout: connectTimeoutMs, lookup: guarded ? createGuardedLookup(resolve) : resolve },
      // Feeds are polled minutes apart: idle sockets are not worth keeping long.
      keepAliveTimeout: 4_000,
    });
    agents.set(key, agent);
  }
  return agent;
}

export interface SendOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
  dispatcher: Dispatcher;
  method?: 'GET' | 'POST';
  body?: string;
}

/** One request (a GET unless said), no redirect following, no decompression: the caller decides both. */
export function send(
  url: URL,
  { headers, signal, dispatcher, method = 'GET', body }: SendOptions,
): Promise<Dispatcher.ResponseData> {
  return request.call(dispatcher, {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    signal,
    ...(body === undefined ? {} : { body }),
  });
}

/** Closes every pool; for tests and process shutdown, so sockets do not keep the event loop alive. */
export async function closeDispatchers(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close()));
}
