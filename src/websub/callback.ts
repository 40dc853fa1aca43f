/**
 * The subscriber's callback, `/websub/<sourceId>/<token>`, served by the web server:
 * - GET: the hub verifies our intent (WebSub §5.3); `hub.challenge` is echoed only when the token and topic
 *   match the source's subscription, and the granted lease is recorded.
 * - POST: content distribution (§7–8); verified here (token, size, and the signature when the hub was given
 *   a secret), then handed over to `ingest`, which reads and commits it as a fetched feed is.
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from 'pino';
import { FeedError } from '../parse/errors.js';
import type { CommitResult, Source, SourceId, Store } from '../store/index.js';
import { validSignature } from './signature.js';
import { type Subscription, subscriptionOf } from './subscription.js';

export interface CallbackOptions {
  store: Store;
  /** Stores a verified push of `source`'s feed (ingest/push.ts); throws a FeedError for a body that is no feed. */
  ingest: (source: Source, pushed: { body: Uint8Array; contentType?: string }) => Promise<CommitResult>;
  log: Logger;
  now?: () => Date;
  /** Pushed bodies larger than this are refused (413); the fetch stage's 16 MiB by default. */
  maxBodyBytes?: number;
}

export type WebSubCallback = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: { sourceId: SourceId; token: string },
) => void;

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createWebSubCallback(options: CallbackOptions): WebSubCallback {
  const { store, log } = options;
  const now = options.now ?? (() => new Date());
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;

  async function subscribed(target: { sourceId: SourceId; token: string }) {
    const source = await store.getSource(target.sourceId);
    const sub = source && subscriptionOf(source);
    if (!source || !sub || !sameSecret(sub.token, target.token))
      throw new Refusal(404, 'no such subscription');
    return { source, sub };
  }

  async function verify(request: http.IncomingMessage, target: { sourceId: SourceId; token: string }) {
    const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const { source, sub } = await subscribed(target);
    const mode = params.get('hub.mode');
    if (params.get('hub.topic') !== sub.topic) throw new Refusal(404, 'topic does not match');
    if (mode === 'denied') {
      // Kept as denied, so the hub is asked again only after a day rather than at every poll.
      await store.setLearned(source.id, 'websub', { ...sub, state: 'denied' });
      log.warn({ source: source.id, hub: sub.hub, reason: params.get('hub.reason') }, 'websub: hub denied');
      return '';
    }
    const challenge = params.get('hub.challenge');
    // We never ask to unsubscribe, so an unsubscribe verification is refused.
    if (mode !== 'subscribe' || !challenge) throw new Refusal(404, `not confirming hub.mode=${mode}`);
    const lease = Number(params.get('hub.lease_seconds'));
    const active: Subscription = {
      ...sub,
      state: 'active',
      verifiedAt: now().toISOString(),
      ...(Number.isFinite(lease) && lease > 0 && { leaseSeconds: lease }),
    };
    await store.setLearned(source.id, 'websub', active);
    log.info({ source: source.id, hub: sub.hub, leaseSeconds: active.leaseSeconds }, 'websub: verified');
    return challenge;
  }

  async function receive(request: http.IncomingMessage, target: { sourceId: SourceId; token: string }) {
    const { source, sub } = await subscribed(target);
    const body = await readCapped(request, maxBody);
    if (sub.secret !== undefined && !validSignature(request.headers, body, sub.secret))
      throw new Refusal(403, 'missing or invalid X-Hub-Signature');
    const result = await options
      .ingest(source, { body, contentType: request.headers['content-type'] })
      .catch((e: unknown) => {
        if (e instanceof FeedError)
          throw new Refusal(400, `pushed body is not a readable feed: ${e.message}`);
        throw e;
      });
    log.info({ source: source.id, ...result }, 'websub: content received');
  }

  return (request, response, target) => {
    const work =
      request.method === 'GET'
        ? verify(request, target)
        : request.method === 'POST'
          ? receive(request, target).then(() => '')
          : Promise.reject(new Refusal(405, 'only GET and POST'));
    work.then(
      (text) => reply(response, text ? 200 : 204, text),
      (error: unknown) => {
        const status = error instanceof Refusal ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        log.warn(
          { source: target.sourceId, method: request.method, status, error: message },
          'websub: callback refused',
        );
        // Drain what the hub is still sending, so the reply reaches it instead of a reset connection; but an
        // oversized body is not read on: the connection closes after the reply.
        if (status === 413) response.setHeader('Connection', 'close');
        else request.resume();
        reply(response, status, status === 500 ? 'internal error\n' : `${message}\n`);
      },
    );
  };
}

function reply(response: http.ServerResponse, status: number, text: string): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readCapped(request: http.IncomingMessage, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (declared > max) throw new Refusal(413, `pushed body of ${declared} bytes is over ${max}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new Refusal(413, `pushed body is over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
