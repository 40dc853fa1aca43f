/**
 * WebSub end to end on loopback: a feed that advertises a hub, a hub written here (records requests, verifies
 * intent against our callback, pushes signed and unsigned bodies), and Tributary's own server and refresh.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { closeDispatchers } from '../../src/fetch/index.js';
import { runDaemon } from '../../src/ingest/daemon.js';
import { ingestPush } from '../../src/ingest/push.js';
import { type IngestDeps, refreshSource } from '../../src/ingest/refresh-source.js';
import { createServer } from '../../src/server/index.js';
import { openStore, type Source, type Store } from '../../src/store/index.js';
import {
  createWebSubCallback,
  publishedTopics,
  SAFETY_NET_SECONDS,
  signBody,
  subscriptionOf,
} from '../../src/websub/index.js';
import { listen, startHub } from './hub.js';

const LEASE = 100_000;
const PUSH_CAP = 64 * 1024;
const SITE = 'http://planet.example.test/';

function atom(selfUrl: string, hubUrl: string | undefined, titles: string[]): string {
  const entries = titles
    .map(
      (t, i) => `<entry><id>urn:test:${encodeURIComponent(t)}</id><title>${t}</title>
        <link href="http://blog.example.test/${encodeURIComponent(t)}"/>
        <updated>2026-11-2${i % 6}T10:00:00Z</updated><content type="html">&lt;p&gt;${t}&lt;/p&gt;</content></entry>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test:feed</id>
    <title>Pushed blog</title><updated>2026-11-26T10:00:00Z</updated>
    <link rel="self" href="${selfUrl}"/>${hubUrl ? `<link rel="hub" href="${hubUrl}"/>` : ''}
    ${entries}</feed>`;
}

describe('WebSub', () => {
  let store: Store;
  let deps: IngestDeps;
  let source: Source;
  let feedBody: string;
  let feedUrl: string;
  let hubUrl: string;
  let siteUrl: string;
  let clockOffsetMs = 0;
  const published = new AbortController();
  const hub = startHub(() => published.abort());
  const feeds = http.createServer((req, res) => {
    if (req.url === '/feed.xml') res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(feedBody);
    else if (req.url === '/quiet.xml')
      res
        .writeHead(200, { 'content-type': 'application/atom+xml' })
        .end(atom(`${feedUrl}q`, undefined, ['Quiet']));
    else res.writeHead(404).end();
  });
  let site: http.Server;

  const subscription = async () => subscriptionOf((await store.getSource(source.id))!);
  const titles = async () => (await store.river({ limit: 50 })).entries.map((e) => e.item.title);
  const push = async (body: string, headers: Record<string, string>) => {
    const sub = (await subscription())!;
    const callback = `${siteUrl}/websub/${source.id}/${sub.token}`;
    return fetch(callback, {
      method: 'POST',
      headers: { 'content-type': 'application/atom+xml', ...headers },
      body,
    });
  };

  before(async () => {
    store = await openStore(':memory:');
    await store.migrate();
    const log = pino({ level: 'silent' });
    hubUrl = `${await listen(hub.server)}/hub`;
    const feedBase = await listen(feeds);
    feedUrl = `${feedBase}/feed.xml`;
    feedBody = atom(feedUrl, hubUrl, ['First post']);
    site = createServer({
      store,
      site: { title: 'Planet', url: SITE, hub: hubUrl },
      websub: createWebSubCallback({
        store,
        ingest: (pushedTo, pushed) => ingestPush(deps, pushedTo, pushed),
        log,
        maxBodyBytes: PUSH_CAP,
      }),
      cacheTtlMs: 0,
    });
    siteUrl = await listen(site);
    deps = {
      store,
      fetchPolicy: { allowPrivateNetworks: true },
      random: () => 0.5,
      now: () => new Date(Date.now() + clockOffsetMs),
      log,
      websub: { callbackBase: siteUrl, leaseSeconds: LEASE, hub: hubUrl, topics: publishedTopics(SITE) },
    };
    source = await store.addSource({ url: feedUrl });
  });

  after(async () => {
    for (const s of [hub.server, feeds, site]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await store.close();
    await closeDispatchers();
  });

  it('subscribes to the hub a feed advertises, and confirms intent at its callback', async () => {
    const started = Date.now();
    await refreshSource(deps, source);
    const subscribes = hub.requests.filter((r) => r.params.get('hub.mode') === 'subscribe');
    assert.equal(subscribes.length, 1);
    const { params, verified } = subscribes[0]!;
    assert.equal(params.get('hub.topic'), feedUrl);
    assert.match(params.get('hub.callback')!, new RegExp(`^${siteUrl}/websub/${source.id}/[\\w-]+$`));
    assert.equal(params.get('hub.lease_seconds'), String(LEASE));
    assert.equal(params.has('hub.secret'), false, 'no secret in clear to a plain-http hub');
    assert.equal(verified, true);
    const sub = await subscription();
    assert.equal(sub?.state, 'active');
    assert.equal(sub?.leaseSeconds, LEASE);
    assert.equal(sub?.secret, undefined);
    // Subscribed: polling backs off to the safety net.
    const stored = (await store.getSource(source.id))!;
    assert.ok(stored.nextFetchAt!.getTime() >= started + SAFETY_NET_SECONDS * 1000 - 1000);
    assert.deepEqual(await titles(), ['First post']);
  });

  it('stores a signed push at once, keeping the poll schedule', async () => {
    const before = (await store.getSource(source.id))!;
    // A subscription with a secret, as an https hub's is (or one an older Tributary made).
    await store.setLearned(source.id, 'websub', { ...(await subscription())!, secret: 'a'.repeat(43) });
    const sub = (await subscription())!;
    const body = atom(feedUrl, hubUrl, ['First post', 'Pushed post']);
    const reply = await push(body, { 'x-hub-signature': signBody(body, sub.secret!, 'sha1') });
    assert.equal(reply.status, 204);
    assert.deepEqual((await titles()).sort(), ['First post', 'Pushed post']);
    const after = (await store.getSource(source.id))!;
    assert.equal(after.nextFetchAt?.getTime(), before.nextFetchAt?.getTime());

    const body256 = atom(feedUrl, hubUrl, ['Pushed with sha256']);
    const reply256 = await push(body256, { 'x-hub-signature-256': signBody(body256, sub.secret!, 'sha256') });
    assert.equal(reply256.status, 204);
    assert.ok((await titles()).includes('Pushed with sha256'));
  });

  it('refuses unsigned and wrongly signed pushes, and stores nothing from them', async () => {
    const sub = (await subscription())!;
    const body = atom(feedUrl, hubUrl, ['Forged post']);
    const unsigned = await push(body, {});
    const wrongKey = await push(body, { 'x-hub-signature': signBody(body, 'not the secret', 'sha1') });
    const otherBody = await push(body, {
      'x-hub-signature-256': signBody(atom(feedUrl, hubUrl, ['Other']), sub.secret!),
    });
    for (const reply of [unsigned, wrongKey, otherBody]) assert.equal(reply.status, 403);
    assert.ok(!(await titles()).includes('Forged post'));
  });

  it('refuses intent verification for a wrong token or topic', async () => {
    const sub = (await subscription())!;
    const verify = (token: string, topic: string) => {
      const url = new URL(`${siteUrl}/websub/${source.id}/${token}`);
      url.searchParams.set('hub.mode', 'subscribe');
      url.searchParams.set('hub.topic', topic);
      url.searchParams.set('hub.challenge', 'echo-me');
      return fetch(url);
    };
    for (const reply of [await verify('wrongtoken', feedUrl), await verify(sub.token, `${feedUrl}?other`)]) {
      assert.equal(reply.status, 404);
      assert.ok(!(await reply.text()).includes('echo-me'));
    }
    const good = await verify(sub.token, feedUrl);
    assert.equal(await good.text(), 'echo-me');
  });

  it('renews the subscription once 80 % of the lease has passed, not before', async () => {
    const subscribes = () => hub.requests.filter((r) => r.params.get('hub.mode') === 'subscribe');
    const first = subscribes()[0]!.params;
    await refreshSource(deps, (await store.getSource(source.id))!);
    assert.equal(subscribes().length, 1);
    clockOffsetMs = LEASE * 1000 * 0.85;
    try {
      await refreshSource(deps, (await store.getSource(source.id))!);
    } finally {
      clockOffsetMs = 0;
    }
    assert.equal(subscribes().length, 2);
    const renewal = subscribes()[1]!;
    assert.equal(renewal.params.get('hub.callback'), first.get('hub.callback'));
    assert.equal(renewal.verified, true);
    // The secret the plain-http hub held is not sent again: the hub stops signing, and we stop checking.
    assert.equal(renewal.params.has('hub.secret'), false);
    assert.equal((await subscription())?.secret, undefined);
  });

  it('advertises our hub in the merged feeds', async () => {
    const atomReply = await fetch(`${siteUrl}/atom.xml`);
    assert.match(atomReply.headers.get('link') ?? '', new RegExp(`<${hubUrl}>; rel="hub"`));
    assert.ok((await atomReply.text()).includes(`<link rel="hub" href="${hubUrl}"/>`));
    const rss = await (await fetch(`${siteUrl}/rss.xml`)).text();
    assert.ok(rss.includes(`<atom:link rel="hub" href="${hubUrl}"/>`));
    const json = (await (await fetch(`${siteUrl}/feed.json`)).json()) as { hubs?: { url: string }[] };
    assert.deepEqual(json.hubs, [{ type: 'WebSub', url: hubUrl }]);
  });

  it('refuses a push over the body cap, signed or not', async () => {
    const body = atom(feedUrl, hubUrl, ['Huge post', 'x'.repeat(PUSH_CAP)]);
    const reply = await push(body, { 'x-hub-signature-256': signBody(body, 'any secret') });
    assert.equal(reply.status, 413);
    assert.ok(!(await titles()).includes('Huge post'));
  });

  it('records a hub that denies the subscription, and does not ask it again at the next poll', async () => {
    const sub = (await subscription())!;
    const url = new URL(`${siteUrl}/websub/${source.id}/${sub.token}`);
    url.searchParams.set('hub.mode', 'denied');
    url.searchParams.set('hub.topic', feedUrl);
    assert.equal((await fetch(url)).status, 204);
    assert.equal((await subscription())?.state, 'denied');
    const asked = hub.requests.length;
    await refreshSource(deps, (await store.getSource(source.id))!);
    assert.equal(hub.requests.length, asked);
  });

  it('pings our hub after a refresh pass that stored new entries', async () => {
    await store.addSource({ url: feedUrl.replace('feed.xml', 'quiet.xml') });
    const giveUp = setTimeout(() => published.abort(), 10_000);
    try {
      await runDaemon(deps, { concurrency: 2, signal: published.signal, workerId: 'test', idleMs: 100 });
    } finally {
      clearTimeout(giveUp);
    }
    const pinged = hub.requests
      .filter((r) => r.params.get('hub.mode') === 'publish')
      .map((r) => r.params.get('hub.url'));
    assert.deepEqual(pinged, publishedTopics(SITE));
    assert.deepEqual(pinged, [`${SITE}atom.xml`, `${SITE}rss.xml`, `${SITE}feed.json`]);
  });
});
