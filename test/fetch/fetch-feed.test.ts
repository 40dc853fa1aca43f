/** fetchFeed against a real loopback server: conditional GET, encodings, redirects, statuses. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { closeDispatchers } from '../../src/fetch/http-client.js';
import type { FetchOutcome } from '../../src/fetch/outcome.js';
import { type FixtureServer, redirect, respond, startFixtureServer } from './fixture-server.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture</title></channel></rss>';
const ETAG = 'W/"rev-42"';
const LAST_MODIFIED = 'Tue, 24 Nov 2026 10:00:00 GMT';
const RSS_TYPE = { 'content-type': 'application/rss+xml; charset=utf-8' };
// Loopback fixtures: the address guard is exercised in ssrf.test.ts.
const policy = { allowPrivateNetworks: true, timeoutMs: 5000 };
const T = { timeout: 8000 };

let server: FixtureServer;
let other: FixtureServer;

before(async () => {
  other = await startFixtureServer({ '/landing': respond(200, RSS_TYPE, RSS) });
  server = await startFixtureServer({
    '/feed.xml': (req, res) => {
      const validators = { etag: ETAG, 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=900' };
      if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
        res.writeHead(304, validators).end();
      } else res.writeHead(200, { ...RSS_TYPE, ...validators }).end(RSS);
    },
    '/always-304': respond(304, {}),
    '/huge-etag': respond(
      200,
      { ...RSS_TYPE, etag: `"${'x'.repeat(2000)}"`, 'last-modified': LAST_MODIFIED },
      RSS,
    ),
    '/gzip': respond(200, { ...RSS_TYPE, 'content-encoding': 'gzip' }, gzipSync(RSS)),
    '/x-gzip': respond(200, { ...RSS_TYPE, 'content-encoding': 'x-gzip' }, gzipSync(RSS)),
    '/br': respond(200, { ...RSS_TYPE, 'content-encoding': 'br' }, brotliCompressSync(RSS)),
    '/deflate': respond(200, { ...RSS_TYPE, 'content-encoding': 'deflate' }, deflateSync(RSS)),
    '/raw-deflate': respond(200, { ...RSS_TYPE, 'content-encoding': 'deflate' }, deflateRawSync(RSS)),
    '/corrupt-gzip': respond(200, { ...RSS_TYPE, 'content-encoding': 'gzip' }, gzipSync(RSS).subarray(0, 20)),
    '/stacked': respond(200, { ...RSS_TYPE, 'content-encoding': 'gzip, gzip' }, gzipSync(gzipSync(RSS))),
    '/compress': respond(200, { ...RSS_TYPE, 'content-encoding': 'compress' }, RSS),
    '/301': redirect(301, '/feed.xml'),
    '/302': redirect(302, '/feed.xml'),
    '/307': redirect(307, '/feed.xml'),
    '/308': redirect(308, '/feed.xml'),
    '/301-then-302': redirect(301, '/302'),
    '/308-then-301': redirect(308, '/301'),
    '/loop-a': redirect(302, '/loop-b'),
    '/loop-b': redirect(302, '/loop-a'),
    '/chain': (req, res) => {
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
      res.writeHead(302, { location: n > 0 ? `/chain?n=${n - 1}` : '/feed.xml' }).end();
    },
    '/no-location': respond(302, {}),
    '/long-location': redirect(302, `/${'a'.repeat(9000)}`),
    '/to-file': redirect(302, 'file:///etc/passwd'),
    '/to-other': (_req, res) => res.writeHead(302, { location: other.url('/landing') }).end(),
    '/private': (req, res) => {
      if (req.headers.authorization === `Basic ${Buffer.from('alice:s3cret').toString('base64')}`) {
        res.writeHead(302, { location: other.url('/landing') }).end();
      } else res.writeHead(401).end();
    },
    '/private-moved': redirect(301, '/private-feed'),
    '/private-feed': (req, res) => {
      if (req.headers.authorization === `Basic ${Buffer.from('alice:s3cret').toString('base64')}`) {
        res.writeHead(200, RSS_TYPE).end(RSS);
      } else res.writeHead(401).end();
    },
    '/gone': respond(410, { 'content-type': 'text/plain' }, 'gone'),
    '/429-seconds': respond(429, { 'retry-after': '120' }),
    '/429-date': (_req, res) => {
      const now = Date.now();
      res
        .writeHead(429, {
          date: new Date(now).toUTCString(),
          'retry-after': new Date(now + 3600_000).toUTCString(),
        })
        .end();
    },
    '/429-garbage': respond(429, { 'retry-after': 'soon' }),
    '/503': respond(503, { 'retry-after': '30' }),
    '/404': respond(404, { 'content-type': 'text/html' }, '<h1>Not found</h1>'),
    '/challenge': respond(403, { 'content-type': 'text/html', 'cf-mitigated': 'challenge' }, '<html>'),
    '/as-html': respond(200, { 'content-type': 'text/html; charset=koi8-r' }, RSS),
    '/as-octets': respond(200, { 'content-type': 'application/octet-stream' }, RSS),
    '/empty': respond(200, RSS_TYPE, ''),
    '/headers': respond(200, RSS_TYPE, RSS),
  });
});

after(() => Promise.all([server.close(), other.close(), closeDispatchers()]));

function expectKind<K extends FetchOutcome['kind']>(
  outcome: FetchOutcome,
  kind: K,
): Extract<FetchOutcome, { kind: K }> {
  assert.equal(
    outcome.kind,
    kind,
    `expected ${kind}, got ${JSON.stringify({ ...outcome, body: undefined })}`,
  );
  return outcome as Extract<FetchOutcome, { kind: K }>;
}

const text = (outcome: FetchOutcome) => Buffer.from(expectKind(outcome, 'ok').body).toString('utf8');

describe('conditional GET', () => {
  test('200 returns the body, validators and max-age; a second fetch with them gets 304', T, async () => {
    const first = expectKind(await fetchFeed(server.url('/feed.xml'), { policy }), 'ok');
    assert.equal(Buffer.from(first.body).toString(), RSS);
    assert.equal(first.status, 200);
    assert.equal(first.contentType, 'application/rss+xml; charset=utf-8');
    assert.deepEqual(first.validators, { etag: ETAG, lastModified: LAST_MODIFIED });
    assert.equal(first.cacheMaxAgeSeconds, 900);
    assert.equal(first.finalUrl, server.url('/feed.xml'));
    assert.equal(first.permanentRedirect, undefined);

    const second = expectKind(
      await fetchFeed(server.url('/feed.xml'), { policy, validators: first.validators }),
      'notModified',
    );
    assert.deepEqual(second.validators, first.validators);
    assert.equal(second.cacheMaxAgeSeconds, 900);
    const sent = server.requests.at(-1)!.headers;
    assert.equal(sent['if-none-match'], ETAG, 'weak ETag sent back verbatim');
    assert.equal(sent['if-modified-since'], LAST_MODIFIED);
  });

  test('only Last-Modified is enough for a 304', T, async () => {
    const outcome = await fetchFeed(server.url('/feed.xml'), {
      policy,
      validators: { lastModified: LAST_MODIFIED },
    });
    assert.deepEqual(expectKind(outcome, 'notModified').validators, {
      etag: ETAG,
      lastModified: LAST_MODIFIED,
    });
  });

  test('a 304 to an unconditional request is a protocol error', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/always-304'), { policy }), 'failed');
    assert.equal(outcome.error, 'http-status');
    assert.equal(outcome.status, 304);
  });

  test('an ETag over 1 KiB is not kept', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/huge-etag'), { policy }), 'ok');
    assert.deepEqual(outcome.validators, { lastModified: LAST_MODIFIED });
  });

  test('sends an identifying User-Agent, a feed-first Accept and the encodings it can bound', T, async () => {
    await fetchFeed(server.url('/headers'), { policy: { ...policy, userAgent: 'Tributary-test/1' } });
    const sent = server.requests.at(-1)!.headers;
    assert.equal(sent['user-agent'], 'Tributary-test/1');
    assert.match(sent.accept!, /^application\/rss\+xml, application\/atom\+xml/);
    assert.equal(sent['accept-encoding'], 'gzip, deflate, br');
    assert.equal(sent['if-none-match'], undefined);
  });
});

describe('content encodings', () => {
  for (const path of ['/gzip', '/x-gzip', '/br', '/deflate']) {
    test(`decodes ${path.slice(1)}`, T, async () => {
      assert.equal(text(await fetchFeed(server.url(path), { policy })), RSS);
    });
  }

  for (const [path, pattern] of [
    ['/stacked', /stacked Content-Encoding "gzip, gzip"/],
    ['/compress', /unsupported Content-Encoding "compress"/],
    ['/corrupt-gzip', /corrupt gzip body/],
    ['/raw-deflate', /corrupt deflate body/],
  ] as const) {
    test(`refuses ${path.slice(1)} as bad-encoding`, T, async () => {
      const outcome = expectKind(await fetchFeed(server.url(path), { policy }), 'failed');
      assert.equal(outcome.error, 'bad-encoding');
      assert.match(outcome.reason, pattern);
      assert.ok(outcome.reason.includes(server.url(path)), outcome.reason);
    });
  }
});

describe('redirects', () => {
  for (const status of [301, 308]) {
    test(`${status} is followed and reported as a permanent move`, T, async () => {
      const outcome = expectKind(await fetchFeed(server.url(`/${status}`), { policy }), 'ok');
      assert.equal(outcome.url, server.url(`/${status}`));
      assert.equal(outcome.finalUrl, server.url('/feed.xml'));
      assert.equal(outcome.permanentRedirect, server.url('/feed.xml'));
    });
  }

  for (const status of [302, 307]) {
    test(`${status} is followed but not a permanent move`, T, async () => {
      const outcome = expectKind(await fetchFeed(server.url(`/${status}`), { policy }), 'ok');
      assert.equal(outcome.finalUrl, server.url('/feed.xml'));
      assert.equal(outcome.permanentRedirect, undefined);
    });
  }

  test('a chain is permanent only when every hop is', T, async () => {
    const mixed = expectKind(await fetchFeed(server.url('/301-then-302'), { policy }), 'ok');
    assert.equal(mixed.permanentRedirect, undefined);
    const permanent = expectKind(await fetchFeed(server.url('/308-then-301'), { policy }), 'ok');
    assert.equal(permanent.permanentRedirect, server.url('/feed.xml'));
  });

  test('a 304 after a permanent redirect still reports the move', T, async () => {
    const outcome = await fetchFeed(server.url('/301'), { policy, validators: { etag: ETAG } });
    assert.equal(expectKind(outcome, 'notModified').permanentRedirect, server.url('/feed.xml'));
  });

  test('a loop is named as a loop', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/loop-a'), { policy }), 'failed');
    assert.equal(outcome.error, 'redirect-loop');
    assert.ok(
      outcome.reason.includes(
        `${server.url('/loop-a')} → ${server.url('/loop-b')} → ${server.url('/loop-a')}`,
      ),
    );
  });

  test('five redirects are followed, six are too many', T, async () => {
    assert.equal(expectKind(await fetchFeed(server.url('/chain?n=4'), { policy }), 'ok').status, 200);
    const outcome = expectKind(await fetchFeed(server.url('/chain?n=5'), { policy }), 'failed');
    assert.equal(outcome.error, 'too-many-redirects');
    assert.match(outcome.reason, /more than 5 redirects/);
    const strict = expectKind(
      await fetchFeed(server.url('/302'), { policy: { ...policy, maxRedirects: 0 } }),
      'failed',
    );
    assert.equal(strict.error, 'too-many-redirects');
  });

  test('a redirect without Location, or to file:, fails', T, async () => {
    const missing = expectKind(await fetchFeed(server.url('/no-location'), { policy }), 'failed');
    assert.deepEqual([missing.error, missing.status], ['http-status', 302]);
    const file = expectKind(await fetchFeed(server.url('/to-file'), { policy }), 'failed');
    assert.equal(file.error, 'bad-scheme');
    assert.match(file.reason, /file:/);
  });

  test('a Location over 8 KiB is refused', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/long-location'), { policy }), 'failed');
    assert.equal(outcome.error, 'bad-scheme');
    assert.match(outcome.reason, /URL longer than 8192 bytes/);
  });

  test('credentials from the URL go to its origin only, never across a redirect', T, async () => {
    const url = `http://alice:s3cret@127.0.0.1:${server.port}/private`;
    const outcome = expectKind(await fetchFeed(url, { policy }), 'ok');
    assert.equal(outcome.finalUrl, other.url('/landing'));
    assert.ok(server.requests.at(-1)!.headers.authorization, 'the first origin got the credentials');
    const landing = other.requests.at(-1)!;
    assert.equal(landing.path, '/landing');
    assert.equal(landing.headers.authorization, undefined);
    assert.equal(landing.headers.cookie, undefined);
  });

  test('credentials follow a redirect on their own origin, and stay on the feed it moved to', T, async () => {
    const url = `http://alice:s3cret@127.0.0.1:${server.port}/private-moved`;
    const outcome = expectKind(await fetchFeed(url, { policy }), 'ok');
    assert.equal(outcome.finalUrl, server.url('/private-feed'), 'results name the URL without them');
    assert.equal(outcome.permanentRedirect, `http://alice:s3cret@127.0.0.1:${server.port}/private-feed`);
  });
});

describe('statuses', () => {
  test('410 is gone', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/gone'), { policy }), 'gone');
    assert.equal(outcome.status, 410);
    assert.ok(outcome.reason.includes(server.url('/gone')));
  });

  test('429 with Retry-After in seconds', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/429-seconds'), { policy }), 'throttled');
    assert.deepEqual([outcome.status, outcome.retryAfterSeconds], [429, 120]);
  });

  test('429 with Retry-After as an HTTP date', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/429-date'), { policy }), 'throttled');
    assert.equal(outcome.retryAfterSeconds, 3600);
  });

  test('429 with a garbage Retry-After leaves the delay to the scheduler', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/429-garbage'), { policy }), 'throttled');
    assert.equal(outcome.retryAfterSeconds, undefined);
  });

  test('503 with Retry-After is throttled', T, async () => {
    const outcome = expectKind(await fetchFeed(server.url('/503'), { policy }), 'throttled');
    assert.deepEqual([outcome.status, outcome.retryAfterSeconds], [503, 30]);
  });

  test('404 and a bot challenge fail with their status', T, async () => {
    const missing = expectKind(await fetchFeed(server.url('/404'), { policy }), 'failed');
    assert.deepEqual([missing.error, missing.status], ['http-status', 404]);
    assert.match(missing.reason, /HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/404/);
    const challenge = expectKind(await fetchFeed(server.url('/challenge'), { policy }), 'failed');
    assert.match(challenge.reason, /Cloudflare bot challenge/);
  });

  test('an empty 200 is an error', T, async () => {
    assert.equal(expectKind(await fetchFeed(server.url('/empty'), { policy }), 'failed').error, 'empty-body');
  });

  test('a wrong Content-Type still returns the body, with the type as sent', T, async () => {
    for (const [path, type] of [
      ['/as-html', 'text/html; charset=koi8-r'],
      ['/as-octets', 'application/octet-stream'],
    ]) {
      const outcome = expectKind(await fetchFeed(server.url(path!), { policy }), 'ok');
      assert.equal(Buffer.from(outcome.body).toString(), RSS);
      assert.equal(outcome.contentType, type);
    }
  });
});

describe('transport failures', () => {
  test('connection refused names the URL', T, async () => {
    const closed = await startFixtureServer();
    const url = closed.url('/feed.xml');
    await closed.close();
    const outcome = expectKind(await fetchFeed(url, { policy }), 'failed');
    assert.equal(outcome.error, 'connect');
    assert.ok(outcome.reason.includes(url), outcome.reason);
  });

  test('an unresolvable name is a DNS error', T, async () => {
    const outcome = expectKind(await fetchFeed('http://does-not-exist.invalid/feed', { policy }), 'failed');
    assert.equal(outcome.error, 'dns');
  });

  test('the caller aborting rejects, as fetch() does', T, async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await assert.rejects(
      fetchFeed(server.url('/feed.xml'), { policy, signal: controller.signal }),
      /shutting down/,
    );
  });

  test('an unusable policy is a programming error', T, async () => {
    await assert.rejects(
      fetchFeed(server.url('/feed.xml'), { policy: { timeoutMs: 0 } }),
      /timeoutMs must be a positive/,
    );
  });
});
