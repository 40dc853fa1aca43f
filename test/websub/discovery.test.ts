/** What a fetched feed advertises (hubs, topic), the signature check, and the `websub:` config section. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ConfigError, loadSettings } from '../../src/config/config.js';
import { closeDispatchers } from '../../src/fetch/index.js';
import type { JsonFeed } from '../../src/model.js';
import { postToHub } from '../../src/websub/hub-request.js';
import { advertised, parseLinkHeader, signBody, validSignature } from '../../src/websub/index.js';

const feed = (extra: Partial<JsonFeed>): JsonFeed =>
  ({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [], ...extra }) as JsonFeed;

it('reads hubs and self from Link headers, relative ones resolved, several rels per link', () => {
  const links = parseLinkHeader(
    '</hub>; rel="hub", <https://example.org/feed>; rel="self canonical", <ftp://x/>; rel=hub, <https://n/>',
    'https://example.org/blog/feed.xml',
  );
  assert.deepEqual(links, [
    { url: 'https://example.org/hub', rels: ['hub'] },
    { url: 'https://example.org/feed', rels: ['self', 'canonical'] },
  ]);
});

it('prefers the Link header self URL as topic, and merges hubs from headers and body without repeats', () => {
  const found = advertised(
    feed({
      feed_url: 'https://example.org/body-self',
      hubs: [{ type: 'WebSub', url: 'https://hub.example/' }],
    }),
    {
      link: '<https://hub.example/>; rel="hub", <https://push.example/>; rel="hub", <https://example.org/h>; rel="self"',
    },
    'https://example.org/fetched',
  );
  assert.deepEqual(found, {
    hubs: ['https://hub.example/', 'https://push.example/'],
    topic: 'https://example.org/h',
  });
  assert.equal(advertised(feed({}), {}, 'https://example.org/f').topic, 'https://example.org/f');
  assert.equal(
    advertised(feed({ feed_url: '/self' }), {}, 'https://example.org/f').topic,
    'https://example.org/self',
  );
});

it('accepts sha1, sha256 and sha512 signatures of the exact body, nothing else', () => {
  const body = Buffer.from('<feed/>');
  for (const method of ['sha1', 'sha256', 'sha512'])
    assert.equal(validSignature({ 'x-hub-signature': signBody(body, 'k', method) }, body, 'k'), true, method);
  assert.equal(validSignature({ 'x-hub-signature-256': signBody(body, 'k') }, body, 'k'), true);
  assert.equal(validSignature({ 'x-hub-signature': signBody(body, 'k', 'md5') }, body, 'k'), false);
  assert.equal(validSignature({ 'x-hub-signature': signBody('<feed />', 'k') }, body, 'k'), false);
  assert.equal(validSignature({ 'x-hub-signature': 'sha256=zz' }, body, 'k'), false);
  assert.equal(validSignature({}, body, 'k'), false);
});

it('reads the websub section of the config file, and refuses a callback that is not an http(s) URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-websub-'));
  const path = join(dir, 'tributary.yaml');
  writeFileSync(
    path,
    'websub:\n  callback_base: https://planet.example.org/\n  hub: https://hub.example/\n  lease_seconds: 3600\n',
  );
  assert.deepEqual(loadSettings(path, {}).websub, {
    callbackBase: 'https://planet.example.org/',
    hub: 'https://hub.example/',
    leaseSeconds: 3600,
  });
  writeFileSync(path, 'websub:\n  callback_base: planet\n');
  assert.throws(() => loadSettings(path, {}), ConfigError);
});

it('sends nothing to a hub on a blocked address unless private networks are allowed', async () => {
  let received = 0;
  const hub = http.createServer((_req, res) => {
    received++;
    res.writeHead(202).end();
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
  try {
    await assert.rejects(postToHub(url, { 'hub.mode': 'publish' }), /127\.0\.0\.1 is in 127\.0\.0\.0\/8/);
    assert.equal(received, 0);
    await postToHub(url, { 'hub.mode': 'publish' }, { allowPrivateNetworks: true });
    assert.equal(received, 1);
  } finally {
    hub.closeAllConnections();
    await new Promise((resolve) => hub.close(resolve));
    await closeDispatchers();
  }
});
