/**
 * The address guard on real requests. The fixture server runs on loopback, so it is the one
 * trusted origin (a test seam); a second loopback listener, the canary, stands for an internal
 * service and must never see a connection while the guard is on.
 */
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { fetchFeed, fetchFeedWith } from '../../src/fetch/fetch-feed.js';
import { closeDispatchers } from '../../src/fetch/http-client.js';
import type { FetchOutcome } from '../../src/fetch/outcome.js';
import { defaultFetchPolicy } from '../../src/fetch/policy.js';
import { type FixtureServer, redirect, respond, startFixtureServer } from './fixture-server.js';

const RSS = '<rss version="2.0"><channel><title>ok</title></channel></rss>';
const guarded = { allowPrivateNetworks: false, timeoutMs: 4000 };
const T = { timeout: 8000 };

let server: FixtureServer;
let canary: FixtureServer;

/** A resolver standing in for DNS: every name in the table resolves where it says. */
const fakeDns =
  (table: Record<string, string>): LookupFunction =>
  (hostname, options, callback) => {
    const address = table[hostname];
    if (!address)
      return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    if (options.all) callback(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  };

before(async () => {
  canary = await startFixtureServer({
    '/steal': respond(200, { 'content-type': 'text/plain' }, 'internal secret'),
  });
  const c = canary.port;
  server = await startFixtureServer({
    '/feed.xml': respond(200, { 'content-type': 'application/rss+xml' }, RSS),
    '/to-self': redirect(302, '/feed.xml'),
    '/to-canary': redirect(302, `http://127.0.0.1:${c}/steal`),
    '/to-canary-decimal': redirect(302, `http://2130706433:${c}/steal`),
    '/to-canary-mapped': redirect(301, `http://[::ffff:127.0.0.1]:${c}/steal`),
    '/to-localhost': redirect(302, `http://localhost:${c}/steal`),
    '/to-localhost-dot': redirect(302, `http://localhost.:${c}/steal`),
    '/to-metadata': redirect(302, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    '/to-internal-name': redirect(307, `http://internal.example:${c}/steal`),
  });
});

beforeEach(() => {
  canary.connections = 0;
});

after(() => Promise.all([server.close(), canary.close(), closeDispatchers()]));

/** Only the fixture's own origin is let through; every other hop meets the guard. */
const trustFixture = () => ({ trustedOrigins: [server.origin] });

function blocked(outcome: FetchOutcome) {
  assert.equal(outcome.kind, 'failed', JSON.stringify({ ...outcome, body: undefined }));
  const failed = outcome as Extract<FetchOutcome, { kind: 'failed' }>;
  assert.equal(failed.error, 'blocked-address', failed.reason);
  return failed;
}

test('the guard is on by default', () => {
  assert.equal(defaultFetchPolicy.allowPrivateNetworks, false);
});

test('control: the trusted fixture is reachable, and without the guard the canary is too', T, async () => {
  const self = await fetchFeedWith(server.url('/to-self'), { policy: guarded }, trustFixture());
  assert.equal(self.kind, 'ok');
  const open = await fetchFeedWith(
    server.url('/to-canary'),
    { policy: { ...guarded, allowPrivateNetworks: true } },
    {},
  );
  assert.equal(open.kind, 'ok');
  assert.equal(open.kind === 'ok' && Buffer.from(open.body).toString(), 'internal secret');
  assert.ok(canary.connections > 0, 'so a zero count below means the guard stopped the connection');
});

for (const [path, target] of [
  ['/to-canary', /127\.0\.0\.1 is in 127\.0\.0\.0\/8/],
  ['/to-canary-decimal', /127\.0\.0\.1 is in 127\.0\.0\.0\/8/],
  ['/to-canary-mapped', /IPv4-mapped.*127\.0\.0\.0\/8/],
  ['/to-metadata', /169\.254\.169\.254 is in 169\.254\.0\.0\/16/],
  ['/to-localhost', /localhost is a localhost name/],
  ['/to-localhost-dot', /localhost\. is a localhost name/],
] as const) {
  test(`a redirect ${path} is refused before connecting`, T, async () => {
    const outcome = blocked(await fetchFeedWith(server.url(path), { policy: guarded }, trustFixture()));
    assert.match(
      outcome.reason,
      new RegExp(`redirect from ${server.url(path).replace(/[.?]/g, '\\$&')} refused`),
    );
    assert.match(outcome.reason, target);
    assert.equal(canary.connections, 0);
  });
}

test('a name that resolves to loopback is refused at connect time, after DNS', T, async () => {
  const resolve = fakeDns({ 'internal.example': '127.0.0.1' });
  const outcome = blocked(
    await fetchFeedWith(server.url('/to-internal-name'), { policy: guarded }, { ...trustFixture(), resolve }),
  );
  assert.match(outcome.reason, /internal\.example resolves to 127\.0\.0\.1, which is in 127\.0\.0\.0\/8/);
  assert.equal(canary.connections, 0);
  // The same resolver with the guard off does reach the canary: the refusal came from the address check.
  const open = await fetchFeedWith(
    server.url('/to-internal-name'),
    { policy: { ...guarded, allowPrivateNetworks: true } },
    { resolve },
  );
  assert.equal(open.kind, 'ok');
  assert.ok(canary.connections > 0);
});

test('a first URL in a private range is refused in every spelling', T, async () => {
  const port = canary.port;
  for (const host of [
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f.1',
    '0177.0.0.1',
    '[::ffff:127.0.0.1]',
    '[::1]',
    'localhost',
    'localhost.',
  ]) {
    blocked(await fetchFeed(`http://${host}:${port}/steal`, { policy: guarded }));
  }
  blocked(await fetchFeed('http://169.254.169.254/latest/meta-data/', { policy: guarded }));
  assert.equal(canary.connections, 0);
});

test('non-http schemes are refused as the first URL', T, async () => {
  for (const url of ['file:///etc/passwd', 'ftp://example.org/feed.xml', 'data:application/rss+xml,<rss/>']) {
    const outcome = await fetchFeed(url, { policy: guarded });
    assert.equal(outcome.kind === 'failed' && outcome.error, 'bad-scheme', url);
  }
});
