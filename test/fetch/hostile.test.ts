/** Servers that try to hold, flood or bomb the fetcher (NETWORK.md N1–N5); each case prints its time. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { closeDispatchers } from '../../src/fetch/http-client.js';
import type { FetchOutcome } from '../../src/fetch/outcome.js';
import { drip, type FixtureServer, flood, respond, startFixtureServer } from './fixture-server.js';

const CORPUS_BOMB = new URL('../../../../shared/corpus/hostile/gzip-bomb.xml.gz', import.meta.url);
const MiB = 1024 * 1024;
const policy = { allowPrivateNetworks: true, timeoutMs: 5000 };
const T = { timeout: 8000 };

// Highly compressible: 32 MiB of one repeated line inflates from ~100 KB of compressed bytes.
const BOMB_PLAIN = Buffer.alloc(32 * MiB, '<item><title>aaaa</title></item>\n');
const bombs = {
  gzip: gzipSync(BOMB_PLAIN, { level: 1 }),
  deflate: deflateSync(BOMB_PLAIN, { level: 1 }),
  br: brotliCompressSync(BOMB_PLAIN, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
};

let server: FixtureServer;

before(async () => {
  server = await startFixtureServer({
    '/trickle': drip(Buffer.from('<'), 1000, 60),
    '/silent': () => {}, // accepts the request and never answers
    '/endless': flood(Buffer.alloc(64 * 1024, 'x'), 100_000),
    '/announces-10gb': (_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * MiB) });
      res.write('<rss>');
    },
    '/over-cap': respond(200, { 'content-type': 'application/rss+xml' }, Buffer.alloc(5000, 'x')),
    '/gzip-bomb': respond(200, { 'content-encoding': 'gzip' }, bombs.gzip),
    '/deflate-bomb': respond(200, { 'content-encoding': 'deflate' }, bombs.deflate),
    '/br-bomb': respond(200, { 'content-encoding': 'br' }, bombs.br),
    '/gzip-under-cap': respond(
      200,
      { 'content-encoding': 'gzip' },
      gzipSync(BOMB_PLAIN.subarray(0, 512 * 1024)),
    ),
    '/corpus-bomb': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' })
        .end(readFileSync(CORPUS_BOMB)),
    '/reset-mid-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss><channel>');
      setTimeout(() => res.socket?.destroy(), 50);
    },
    '/huge-headers': respond(200, { 'x-padding': 'a'.repeat(20_000) }, '<rss/>'),
    '/short-body': (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('<rss></rss>');
      setTimeout(() => res.socket?.end(), 50);
    },
  });
});

after(() => Promise.all([server.close(), closeDispatchers()]));

function failed(outcome: FetchOutcome) {
  assert.equal(outcome.kind, 'failed', JSON.stringify({ ...outcome, body: undefined }));
  return outcome as Extract<FetchOutcome, { kind: 'failed' }>;
}

/** Fetches `path`, reports how long it took and when the server saw its response torn down. */
async function timed(path: string, overrides: object) {
  const closed = server.responseClosed(path);
  const start = performance.now();
  const outcome = await fetchFeed(server.url(path), { policy: { ...policy, ...overrides } });
  const close = await closed;
  console.log(
    `# ${path}: ${outcome.kind} in ${outcome.durationMs} ms; server socket closed ${Math.round(close.at - start)} ms after start`,
  );
  return { outcome, close, closedAfterMs: close.at - start };
}

test('a 1-byte-per-second trickle ends at the overall deadline and frees the socket', T, async () => {
  const { outcome, close, closedAfterMs } = await timed('/trickle', { timeoutMs: 1500 });
  const f = failed(outcome);
  assert.equal(f.error, 'timeout');
  assert.equal(f.reason, `timeout after 1500 ms reading the body of ${server.url('/trickle')}`);
  // Generous bounds: the point is "near 1.5 s", not "after 60 s of trickle".
  assert.ok(f.durationMs >= 1400 && f.durationMs < 4000, `took ${f.durationMs} ms`);
  assert.equal(close.finished, false, 'the response was cut off, not completed');
  assert.ok(closedAfterMs < 4000, `server saw the socket close after ${closedAfterMs} ms`);
});

test('a server that never answers times out waiting for the response', T, async () => {
  const { outcome } = await timed('/silent', { timeoutMs: 1000 });
  const f = failed(outcome);
  assert.equal(f.error, 'timeout');
  assert.equal(f.reason, `timeout after 1000 ms waiting for a response from ${server.url('/silent')}`);
});

test('an endless chunked body stops at the cap', T, async () => {
  const { outcome, close } = await timed('/endless', { maxBodyBytes: MiB });
  const f = failed(outcome);
  assert.equal(f.error, 'too-large');
  assert.match(f.reason, /over the 1048576-byte cap/);
  assert.equal(close.finished, false);
});

test('a body announcing 10 GB is refused before reading it', T, async () => {
  const { outcome } = await timed('/announces-10gb', {});
  const f = failed(outcome);
  assert.equal(f.error, 'too-large');
  assert.match(f.reason, /Content-Length 10737418240/);
});

test('a plain body over a small cap is too large', T, async () => {
  assert.equal(
    failed(await fetchFeed(server.url('/over-cap'), { policy: { ...policy, maxBodyBytes: 4096 } })).error,
    'too-large',
  );
  const fits = await fetchFeed(server.url('/over-cap'), { policy: { ...policy, maxBodyBytes: 5000 } });
  assert.equal(fits.kind, 'ok');
});

for (const coding of ['gzip', 'deflate', 'br'] as const) {
  test(`a ${coding} bomb stops at the cap counted on inflated bytes`, T, async () => {
    const { outcome } = await timed(`/${coding}-bomb`, { maxBodyBytes: MiB });
    const f = failed(outcome);
    assert.equal(f.error, 'too-large');
    assert.match(f.reason, new RegExp(`inflated ${coding}`));
    assert.ok(bombs[coding].length < MiB, 'the compressed bytes alone are under the cap');
  });
}

test('a compressed body that inflates under the cap is fine', T, async () => {
  const outcome = await fetchFeed(server.url('/gzip-under-cap'), {
    policy: { ...policy, maxBodyBytes: MiB },
  });
  assert.equal(outcome.kind, 'ok');
  assert.equal(outcome.kind === 'ok' && outcome.body.length, 512 * 1024);
});

test('the corpus gzip bomb (257 KB → 256 MiB) stops at the default 16 MiB cap', {
  ...T,
  skip: !existsSync(CORPUS_BOMB) && 'shared corpus absent',
}, async () => {
  const { outcome } = await timed('/corpus-bomb', {});
  const f = failed(outcome);
  assert.equal(f.error, 'too-large');
  assert.match(f.reason, /over the 16777216-byte cap \(inflated gzip\)/);
});

test('a connection reset mid-body is a failed fetch, not a short feed', T, async () => {
  assert.equal(failed(await fetchFeed(server.url('/reset-mid-body'), { policy })).error, 'network');
});

test('a body shorter than its Content-Length is a failed fetch', T, async () => {
  const f = failed(await fetchFeed(server.url('/short-body'), { policy }));
  assert.equal(f.error, 'network');
  assert.ok(f.reason.includes(server.url('/short-body')), f.reason);
});

test('response headers over 16 KiB are a failed fetch', T, async () => {
  const f = failed(await fetchFeed(server.url('/huge-headers'), { policy }));
  assert.equal(f.error, 'network');
  assert.match(f.reason, /headers over the size limit/);
});
